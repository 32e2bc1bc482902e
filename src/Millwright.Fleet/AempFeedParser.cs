using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Millwright.Fleet;

/// <summary>
/// Reads an ISO 15143-3 (AEMP 2.0) fleet snapshot from untrusted bytes. Feeds in the wild differ in details, so
/// elements are matched by local name in whatever namespace the document uses (the standard's
/// <c>http://standards.iso.org/iso/15143/-3</c>, an older or vendor one, or none), and an element's time is its
/// <c>datetime</c> attribute or a <c>datetime</c> child element. Units are converted to the platform's (metre,
/// kilometre, litre, tonne). An element we cannot place (no time, unknown unit, value out of range) is skipped and
/// reported; a document that is not such a snapshot at all is a <see cref="FleetFormatException"/>. No DTDs, no
/// external entities, bounded size.
/// </summary>
internal static class AempFeedParser
{
    public const int MaxBytes = 16 << 20;
    public const int MaxEquipment = 100_000;
    private const int MaxSkipped = 20;

    public static AempFeedSnapshot Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw FleetFormatException.Of("feed", $"the snapshot is over {MaxBytes} bytes");
        }

        XDocument document;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 0, MaxCharactersInDocument = MaxBytes,
                IgnoreComments = true, IgnoreProcessingInstructions = true,
            });
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e)
        {
            throw FleetFormatException.Of("feed", $"not well-formed XML at line {e.LineNumber}, position {e.LinePosition}: {Short(e.Message)}");
        }

        var root = document.Root!;
        if (!string.Equals(root.Name.LocalName, "Fleet", StringComparison.OrdinalIgnoreCase))
        {
            throw FleetFormatException.Of("feed", $"the root element is '{Short(root.Name.LocalName)}', not an ISO 15143-3 Fleet");
        }

        var skipped = new List<string>();
        var equipment = new List<AempFeedEquipment>();
        foreach (var e in root.Elements().Where(x => string.Equals(x.Name.LocalName, "Equipment", StringComparison.OrdinalIgnoreCase)))
        {
            if (equipment.Count == MaxEquipment)
            {
                throw FleetFormatException.Of("feed", $"the snapshot has more than {MaxEquipment} machines");
            }

            equipment.Add(Equipment(e, skipped));
        }

        var snapshotTime = Time(root.Attribute("snapshotTime")?.Value ?? Child(root, "snapshotTime")?.Value);
        return new AempFeedSnapshot(snapshotTime is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null, equipment, skipped, NextLink(root));
    }

    /// <summary>
    /// The href of the root's <c>Links</c> element whose rel is <c>next</c>: the standard pages a fleet with repeated
    /// Links of rel and href children; rel and href as attributes are read too. A href that is no URI is an error.
    /// </summary>
    private static string? NextLink(XElement root)
    {
        foreach (var link in root.Elements().Where(x => string.Equals(x.Name.LocalName, "Links", StringComparison.OrdinalIgnoreCase)))
        {
            var rel = Text(link.Attribute("rel")?.Value ?? Child(link, "rel")?.Value);
            if (!string.Equals(rel, "next", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var href = Text(link.Attribute("href")?.Value ?? Child(link, "href")?.Value);
            return href is not null && href.Length <= 2000 && Uri.TryCreate(href, UriKind.RelativeOrAbsolute, out _)
                ? href
                : throw FleetFormatException.Of("feed", $"the next link '{Short(href ?? "")}' is not a URI");
        }

        return null;
    }

    private static AempFeedEquipment Equipment(XElement e, List<string> skipped)
    {
        var header = Child(e, "EquipmentHeader");
        string? Field(string name) => header is null ? null : Text(Child(header, name)?.Value);
        var result = new AempFeedEquipment(Field("OEMName"), Field("Model"), Field("EquipmentID"), Field("SerialNumber"), Field("PIN"), []);
        var points = new List<AempFeedPoint>();
        foreach (var element in e.Elements())
        {
            if (AempFeedMapping.Canonical(element.Name.LocalName) is not { } name)
            {
                continue; // elements we derive ourselves (FuelUsedLast24, ...) or do not know
            }

            if (Time(element.Attribute("datetime")?.Value ?? Child(element, "datetime")?.Value) is not { } at)
            {
                Skip(skipped, result, name, "it has no datetime");
                continue;
            }

            foreach (var (child, tag) in AempFeedMapping.Elements[name])
            {
                if (Child(element, child) is not { } valueElement)
                {
                    continue;
                }

                if (AempFeedMapping.Convert(name, tag, valueElement.Value, element) is { } value)
                {
                    points.Add(new AempFeedPoint(tag, at, value.Number, value.IsFlag));
                }
                else
                {
                    Skip(skipped, result, name, $"{child} '{Short(valueElement.Value)}' is not a value we can read (number, range or unit)");
                }
            }
        }

        return result with { Points = points };
    }

    private static void Skip(List<string> skipped, AempFeedEquipment equipment, string element, string why)
    {
        if (skipped.Count < MaxSkipped)
        {
            skipped.Add($"{Short(equipment.Key ?? "a machine without id")}: {element} skipped, {why}");
        }
    }

    /// <summary>A child by local name in any namespace, case-insensitively (feeds differ in both).</summary>
    public static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(c => string.Equals(c.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase));

    /// <summary>xs:dateTime; one without a zone is UTC, as the standard's times are.</summary>
    private static long? Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeMilliseconds()
            : null;

    private static string? Text(string? value)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? null : Short(text);
    }

    private static string Short(string text)
    {
        var clean = new string([.. text.Take(100).Select(c => char.IsControl(c) ? ' ' : c)]);
        return text.Length > 100 ? clean + "…" : clean;
    }
}
