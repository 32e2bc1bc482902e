using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Millwright.Scheduling.Erp;

/// <summary>
/// What the B2MML readers share: loading a document safely (no DTD, no external entities, a size limit), checking
/// it against an element structure (which children, in which order, how often; docs/erp.md lists it), naming an
/// element by its path, and reading the simple values (text, whole numbers, times with their offset).
/// </summary>
public static class B2mmlXml
{
    public const string Namespace = B2mmlPerformance.Namespace;

    public const int MaxText = 100;

    /// <summary>Characters a document may hold: 10,000 orders with every optional element fit.</summary>
    public const long MaxCharacters = 16L * 1024 * 1024;

    private static readonly XNamespace B = Namespace;

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Parses the bytes and checks the root is one of <paramref name="roots"/> in the B2MML namespace and follows <paramref name="rules"/>.</summary>
    public static XElement Load(ReadOnlySpan<byte> input, IReadOnlyDictionary<string, B2mmlChild[]> rules, params string[] roots)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(input.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxCharacters,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new B2mmlException(new ErpPlace(Math.Max(1, e.LineNumber), Math.Max(1, e.LinePosition), "/"), $"not well-formed XML: {e.Message}");
        }

        var root = document.Root!;
        if (root.Name.Namespace != B || !roots.Contains(root.Name.LocalName))
        {
            throw new B2mmlException(PlaceOf(root),
                $"the document is {{{root.Name.NamespaceName}}}{root.Name.LocalName}; expected {string.Join(" or ", roots)} in the namespace {Namespace}");
        }

        Check(root, rules);
        return root;
    }

    /// <summary>The element's path from the root; siblings of the same name are told apart by a 1-based index.</summary>
    public static string PathOf(XElement element)
    {
        var steps = new List<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            var same = e.Parent?.Elements(e.Name).ToList();
            steps.Add(same is { Count: > 1 } ? $"{e.Name.LocalName}[{same.IndexOf(e) + 1}]" : e.Name.LocalName);
        }

        steps.Reverse();
        return "/" + string.Join("/", steps);
    }

    public static ErpPlace PlaceOf(XElement element)
    {
        var info = (IXmlLineInfo)element;
        return new ErpPlace(info.HasLineInfo() ? info.LineNumber : 1, info.HasLineInfo() ? info.LinePosition : 1, PathOf(element));
    }

    public static XElement? Child(XElement parent, string name) => parent.Element(B + name);

    public static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements(B + name);

    /// <summary>Trimmed text of at most <paramref name="max"/> characters without control characters; empty is refused.</summary>
    public static string Text(XElement element, int max = MaxText)
    {
        var text = element.Value.Trim();
        if (text.Length == 0)
        {
            throw new B2mmlException(PlaceOf(element), "is empty");
        }

        if (text.Length > max)
        {
            throw new B2mmlException(PlaceOf(element), $"is {text.Length} characters long; at most {max}");
        }

        return text.Any(char.IsControl) ? throw new B2mmlException(PlaceOf(element), "holds a control character (a line break or tab)") : text;
    }

    public static long Whole(XElement element, long min, long max)
    {
        var text = element.Value.Trim();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new B2mmlException(PlaceOf(element), $"'{Shorten(text)}' is not a whole number");
        }

        return value >= min && value <= max ? value : throw new B2mmlException(PlaceOf(element), $"{value} is outside {min}..{max:N0}");
    }

    public static double Number(XElement element, double min, double max)
    {
        var text = element.Value.Trim();
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new B2mmlException(PlaceOf(element), $"'{Shorten(text)}' is not a decimal number");
        }

        return value >= min && value <= max ? value : throw new B2mmlException(PlaceOf(element), $"{value.ToString(CultureInfo.InvariantCulture)} is outside {min}..{max:N0}");
    }

    /// <summary>An xs:dateTime with its offset or Z; a time without one is refused (the plant and the ERP may sit in different zones).</summary>
    public static DateTimeOffset Time(XElement element)
    {
        var text = element.Value.Trim();
        return DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new B2mmlException(PlaceOf(element), $"'{Shorten(text)}' is not a time with its offset (2027-03-31T14:00:00+01:00 or …Z)");
    }

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Check(XElement element, IReadOnlyDictionary<string, B2mmlChild[]> rules)
    {
        if (!rules.TryGetValue(element.Name.LocalName, out var children))
        {
            if (element.HasElements)
            {
                throw new B2mmlException(PlaceOf(element.Elements().First()), $"{element.Name.LocalName} holds text only, not elements");
            }

            return;
        }

        if (element.Nodes().OfType<XText>().FirstOrDefault(t => !string.IsNullOrWhiteSpace(t.Value)) is { } stray)
        {
            throw new B2mmlException(PlaceOf(element), $"{element.Name.LocalName} holds elements, not text ('{Shorten(stray.Value.Trim())}')");
        }

        var at = 0;
        var count = 0;
        foreach (var child in element.Elements())
        {
            var index = child.Name.Namespace == B ? Array.FindIndex(children, c => c.Name == child.Name.LocalName) : -1;
            if (index < 0)
            {
                throw new B2mmlException(PlaceOf(child),
                    $"{{{child.Name.NamespaceName}}}{child.Name.LocalName} is not an element of {element.Name.LocalName}; it holds {Sequence(children)}");
            }

            if (index < at)
            {
                throw new B2mmlException(PlaceOf(child), $"{child.Name.LocalName} is out of order; {element.Name.LocalName} holds {Sequence(children)}, in this order");
            }

            for (; at < index; (at, count) = (at + 1, 0))
            {
                Closed(element, children[at], count);
            }

            if (++count > children[at].Max)
            {
                throw new B2mmlException(PlaceOf(child), $"{element.Name.LocalName} holds at most {children[at].Max:N0} {child.Name.LocalName}");
            }

            if (!children[at].Skip)
            {
                Check(child, rules);
            }
        }

        for (; at < children.Length; (at, count) = (at + 1, 0))
        {
            Closed(element, children[at], count);
        }
    }

    private static void Closed(XElement parent, B2mmlChild child, int count)
    {
        if (count < child.Min)
        {
            throw new B2mmlException(PlaceOf(parent), $"{parent.Name.LocalName} needs {(child.Min > 1 ? $"at least {child.Min}" : "AEIOU".Contains(child.Name[0], StringComparison.Ordinal) ? "an" : "a")} {child.Name}" +
                (count > 0 ? $" (it holds {count})" : ""));
        }
    }

    private static string Sequence(B2mmlChild[] children) => string.Join(", ", children.Select(c => c.Name));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
