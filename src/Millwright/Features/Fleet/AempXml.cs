using System.Text;
using System.Xml;

namespace Millwright.Features.Fleet;

/// <summary>
/// Writes the snapshot and time-series documents in the standard's XML: elements in its namespace, each element
/// occurrence with a <c>datetime</c> attribute, navigation as repeated <c>Links</c> (rel, href).
/// </summary>
internal static class AempXml
{
    public const string ContentType = "application/xml; charset=utf-8";

    public static string Fleet(AempFleetPage page) => Write("Fleet", page.SnapshotTime, page.Links, x =>
    {
        foreach (var equipment in page.Equipment)
        {
            x.WriteStartElement("Equipment", AempCatalog.Namespace);
            Header(x, equipment.Header);
            foreach (var record in equipment.Records)
            {
                Record(x, record);
            }

            x.WriteEndElement();
        }
    });

    public static string Series(AempSeriesPage page) => Write(page.Root, page.SnapshotTime, page.Links, x =>
    {
        Header(x, page.Header);
        foreach (var record in page.Records)
        {
            Record(x, record);
        }
    });

    private static string Write(string root, long snapshotTime, IReadOnlyList<AempLink> links, Action<XmlWriter> body)
    {
        var text = new StringBuilder();
        using (var x = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            x.WriteStartDocument();
            x.WriteStartElement(root, AempCatalog.Namespace);
            x.WriteAttributeString("version", "1");
            x.WriteAttributeString("snapshotTime", AempFormat.Time(snapshotTime));
            foreach (var link in links)
            {
                x.WriteStartElement("Links", AempCatalog.Namespace);
                x.WriteElementString("rel", AempCatalog.Namespace, link.Rel);
                x.WriteElementString("href", AempCatalog.Namespace, link.Href);
                x.WriteEndElement();
            }

            body(x);
            x.WriteEndElement();
        }

        // StringBuilder output declares UTF-16; the body is sent as UTF-8, so the declaration must say so.
        return text.Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"").ToString();
    }

    private static void Header(XmlWriter x, AempHeader header)
    {
        x.WriteStartElement("EquipmentHeader", AempCatalog.Namespace);
        x.WriteElementString("OEMName", AempCatalog.Namespace, header.OemName);
        x.WriteElementString("Model", AempCatalog.Namespace, header.Model);
        x.WriteElementString("EquipmentID", AempCatalog.Namespace, header.EquipmentId);
        x.WriteElementString("SerialNumber", AempCatalog.Namespace, header.SerialNumber);
        if (header.Pin is { } pin)
        {
            x.WriteElementString("PIN", AempCatalog.Namespace, pin);
        }

        x.WriteEndElement();
    }

    private static void Record(XmlWriter x, AempRecord record)
    {
        x.WriteStartElement(record.Name, AempCatalog.Namespace);
        x.WriteAttributeString("datetime", AempFormat.Time(record.Timestamp));
        foreach (var value in record.Values)
        {
            x.WriteElementString(value.Name, AempCatalog.Namespace, AempFormat.Text(value.Value));
        }

        x.WriteEndElement();
    }
}
