using System.Text;

namespace Millwright.OpcUa;

/// <summary>
/// A path of browse names from the Root folder, written as OPC 10000-4 Annex A writes relative paths over
/// hierarchical references: <c>/Objects/2:Machine/2:Spindle/2:Speed</c>. Each element is a browse name with an
/// optional namespace index (<c>2:</c>); '&amp;' escapes the next character, so a name may hold '/', ':' or '&amp;'.
/// </summary>
internal sealed record BrowsePath(IReadOnlyList<QualifiedName> Names)
{
    public const int MaxLength = 1000;
    public const int MaxElements = 32;

    /// <summary>Where every path starts (A.2: a path given without a start node begins at the Root folder).</summary>
    public static NodeId Start => WellKnownNodes.RootFolder;

    public static bool TryParse(string? text, out BrowsePath path, out string error)
    {
        path = new BrowsePath([]);
        if (string.IsNullOrEmpty(text) || text[0] != '/')
        {
            error = "starts with '/', then browse names from the Root folder: /Objects/2:Machine/2:Speed";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"at most {MaxLength} characters";
            return false;
        }

        var names = new List<QualifiedName>();
        var element = new StringBuilder();
        var escapedColon = -1;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '/')
            {
                if (!TryElement(element.ToString(), escapedColon, out var name, out error))
                {
                    return false;
                }

                names.Add(name);
                if (names.Count > MaxElements)
                {
                    error = $"at most {MaxElements} browse names";
                    return false;
                }

                element.Clear();
                escapedColon = -1;
                continue;
            }

            if (text[i] == '&')
            {
                if (++i == text.Length)
                {
                    error = "ends with a lone '&' (it escapes the next character)";
                    return false;
                }

                escapedColon = text[i] == ':' && escapedColon < 0 ? element.Length : escapedColon;
            }

            element.Append(text[i]);
        }

        path = new BrowsePath(names);
        error = "";
        return true;
    }

    public static BrowsePath Parse(string text) => TryParse(text, out var path, out var error) ? path : throw new FormatException($"browse path '{text}': {error}");

    /// <summary>The path written back in its own syntax, escaping what needs it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var name in Names)
        {
            text.Append('/');
            if (name.NamespaceIndex != 0)
            {
                text.Append(name.NamespaceIndex).Append(':');
            }

            foreach (var c in name.Name ?? "")
            {
                if (c is '/' or '&' or ':' or '.' or '<' or '>' or '#' or '!')
                {
                    text.Append('&');
                }

                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>"2:Speed" is Speed in namespace 2; a colon that was escaped (or a name with no digits before it) is part of the name.</summary>
    private static bool TryElement(string element, int escapedColon, out QualifiedName name, out string error)
    {
        name = new QualifiedName(0, element);
        error = "";
        var colon = element.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon != escapedColon && element.AsSpan(0, colon).ContainsAnyExceptInRange('0', '9') is false)
        {
            if (!ushort.TryParse(element.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ns))
            {
                error = $"namespace index '{element[..colon]}' is not 0 to 65535";
                return false;
            }

            name = new QualifiedName(ns, element[(colon + 1)..]);
        }

        if (string.IsNullOrEmpty(name.Name))
        {
            error = "has an empty browse name (two '/' in a row, or a trailing '/')";
            return false;
        }

        return true;
    }
}
