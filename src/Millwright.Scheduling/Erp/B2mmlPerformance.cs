using System.Globalization;
using System.Text;
using System.Xml;

namespace Millwright.Scheduling.Erp;

/// <summary>
/// Writes what happened to a production order as a B2MML (ISA-95) ProductionPerformance document: one
/// ProductionResponse per order, one SegmentResponse per operation with the machines that ran it, what it made and
/// what it consumed. The elements used, in the order the B2MML V0600 schema sequences them, are listed in
/// docs/erp.md; everything else of the schema is left out.
/// </summary>
public static class B2mmlPerformance
{
    public const string Namespace = "http://www.mesa.org/xml/B2MML-V0600";

    public static byte[] Write(PerformanceOrder order, DateTimeOffset published)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("ProductionPerformance", Namespace);
            xml.WriteElementString("ID", Namespace, order.Number);
            xml.WriteElementString("PublishedDate", Namespace, Time(published));
            xml.WriteStartElement("ProductionResponse", Namespace);
            xml.WriteElementString("ID", Namespace, order.Number);
            xml.WriteElementString("ProductionRequestID", Namespace, order.ErpNumber ?? order.Number);
            Optional(xml, "StartTime", order.Start);
            Optional(xml, "EndTime", order.End);
            foreach (var segment in order.Segments)
            {
                WriteSegment(xml, order, segment);
            }

            xml.WriteElementString("ResponseState", Namespace, OrderState(order.Status));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return stream.ToArray();
    }

    /// <summary>The ISA-95 response state of an order status.</summary>
    public static string OrderState(string status) => status switch
    {
        "planned" => "Waiting",
        "released" => "Ready",
        "in_progress" => "Running",
        "completed" => "Completed",
        "cancelled" => "Aborted",
        _ => throw new ArgumentException($"unknown order status '{status}'", nameof(status)),
    };

    /// <summary>The ISA-95 state of a job status.</summary>
    public static string SegmentState(string status) => status switch
    {
        "waiting" => "Waiting",
        "dispatched" => "Ready",
        "running" => "Running",
        "done" => "Completed",
        "cancelled" => "Aborted",
        _ => throw new ArgumentException($"unknown job status '{status}'", nameof(status)),
    };

    private static void WriteSegment(XmlWriter xml, PerformanceOrder order, PerformanceSegment segment)
    {
        xml.WriteStartElement("SegmentResponse", Namespace);
        xml.WriteElementString("ID", Namespace, segment.JobId.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("ProcessSegmentID", Namespace, segment.Operation);
        xml.WriteElementString("Description", Namespace, $"operation {segment.Seq + 1} of order {order.Number}");
        Optional(xml, "ActualStartTime", segment.Start);
        Optional(xml, "ActualEndTime", segment.End);
        foreach (var run in segment.Runs)
        {
            xml.WriteStartElement("EquipmentActual", Namespace);
            xml.WriteElementString("EquipmentID", Namespace, run.Equipment);
            Property(xml, "EquipmentActualProperty", "ActualStartTime", Time(run.Start), "dateTime", null);
            if (run.End is { } end)
            {
                Property(xml, "EquipmentActualProperty", "ActualEndTime", Time(end), "dateTime", null);
            }

            Property(xml, "EquipmentActualProperty", "GoodCount", Count(run.Good), "integer", order.ItemUnit);
            Property(xml, "EquipmentActualProperty", "ScrapCount", Count(run.Scrap), "integer", order.ItemUnit);
            xml.WriteEndElement();
        }

        foreach (var material in segment.Consumed)
        {
            xml.WriteStartElement("MaterialActual", Namespace);
            xml.WriteElementString("MaterialDefinitionID", Namespace, material.Sku);
            xml.WriteElementString("MaterialUse", Namespace, "Consumed");
            Quantity(xml, material.Quantity.ToString("R", CultureInfo.InvariantCulture), "double", material.Unit, null);
            xml.WriteEndElement();
        }

        xml.WriteStartElement("MaterialActual", Namespace);
        xml.WriteElementString("MaterialDefinitionID", Namespace, order.ItemSku);
        xml.WriteElementString("MaterialUse", Namespace, "Produced");
        Quantity(xml, Count(segment.Good), "integer", order.ItemUnit, "good");
        Quantity(xml, Count(segment.Scrap), "integer", order.ItemUnit, "scrap");
        xml.WriteEndElement();

        xml.WriteElementString("SegmentState", Namespace, SegmentState(segment.Status));
        xml.WriteEndElement();
    }

    private static void Quantity(XmlWriter xml, string value, string dataType, string unit, string? key)
    {
        xml.WriteStartElement("Quantity", Namespace);
        xml.WriteElementString("QuantityString", Namespace, value);
        xml.WriteElementString("DataType", Namespace, dataType);
        xml.WriteElementString("UnitOfMeasure", Namespace, unit);
        if (key is not null)
        {
            xml.WriteElementString("Key", Namespace, key);
        }

        xml.WriteEndElement();
    }

    private static void Property(XmlWriter xml, string element, string id, string value, string dataType, string? unit)
    {
        xml.WriteStartElement(element, Namespace);
        xml.WriteElementString("ID", Namespace, id);
        xml.WriteStartElement("Value", Namespace);
        xml.WriteElementString("ValueString", Namespace, value);
        xml.WriteElementString("DataType", Namespace, dataType);
        if (unit is not null)
        {
            xml.WriteElementString("UnitOfMeasure", Namespace, unit);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Optional(XmlWriter xml, string element, DateTimeOffset? at)
    {
        if (at is { } value)
        {
            xml.WriteElementString(element, Namespace, Time(value));
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
