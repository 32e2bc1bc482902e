using System.Text.Json;

namespace Millwright.Features.Fleet;

/// <summary>
/// The same documents as <see cref="AempXml"/> in JSON: the standard's element names as keys, an element's
/// occurrences as objects with "datetime", numbers and booleans as JSON numbers and booleans.
/// </summary>
internal static class AempJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static byte[] Fleet(AempFleetPage page) => Write(page.SnapshotTime, page.Links, w =>
    {
        w.WriteStartArray("Equipment");
        foreach (var equipment in page.Equipment)
        {
            w.WriteStartObject();
            Header(w, equipment.Header);
            foreach (var record in equipment.Records)
            {
                w.WritePropertyName(record.Name);
                Record(w, record);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static byte[] Series(AempSeriesPage page, string itemName) => Write(page.SnapshotTime, page.Links, w =>
    {
        Header(w, page.Header);
        w.WriteStartArray(itemName);
        foreach (var record in page.Records)
        {
            Record(w, record);
        }

        w.WriteEndArray();
    });

    private static byte[] Write(long snapshotTime, IReadOnlyList<AempLink> links, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", 1);
            w.WriteString("snapshotTime", AempFormat.Time(snapshotTime));
            w.WriteStartArray("Links");
            foreach (var link in links)
            {
                w.WriteStartObject();
                w.WriteString("rel", link.Rel);
                w.WriteString("href", link.Href);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Header(Utf8JsonWriter w, AempHeader header)
    {
        w.WriteStartObject("EquipmentHeader");
        w.WriteString("OEMName", header.OemName);
        w.WriteString("Model", header.Model);
        w.WriteString("EquipmentID", header.EquipmentId);
        w.WriteString("SerialNumber", header.SerialNumber);
        if (header.Pin is { } pin)
        {
            w.WriteString("PIN", pin);
        }

        w.WriteEndObject();
    }

    private static void Record(Utf8JsonWriter w, AempRecord record)
    {
        w.WriteStartObject();
        w.WriteString("datetime", AempFormat.Time(record.Timestamp));
        foreach (var value in record.Values)
        {
            w.WritePropertyName(value.Name);
            switch (value.Value)
            {
                case bool flag:
                    w.WriteBooleanValue(flag);
                    break;
                case double number when double.IsFinite(number):
                    w.WriteNumberValue(number);
                    break;
                default:
                    w.WriteStringValue(AempFormat.Text(value.Value));
                    break;
            }
        }

        w.WriteEndObject();
    }
}
