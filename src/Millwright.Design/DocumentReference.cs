using System.Globalization;

namespace Millwright.Design;

/// <summary>
/// A document of a node (<c>doc.NAME</c>): a drawing, CAD file, specification or datasheet held elsewhere (a PDM
/// vault, a file server), named by its URI and pinned by the SHA-256 of its bytes, so that a revision says exactly
/// which file it was released with. The platform stores the reference, never fetches the file (nothing to pass
/// through egress). Written as one value: <c>KIND sha256:HEX URI [TITLE]</c>, e.g.
/// <c>cad sha256:9f86…0a08 pdm://vault/frame.step Frame, rev B</c>.
/// </summary>
internal sealed record DocumentReference(string Kind, string Sha256, string Uri, string? Title)
{
    public const int MaxValue = 700;
    public const int MaxUri = 500;

    public static readonly IReadOnlyList<string> Kinds = ["drawing", "cad", "specification", "datasheet", "other"];

    public override string ToString() => Title is null ? $"{Kind} sha256:{Sha256} {Uri}" : $"{Kind} sha256:{Sha256} {Uri} {Title}";

    /// <summary>The reference <paramref name="value"/> holds, or why it holds none.</summary>
    public static (DocumentReference? Document, string? Error) Parse(string value)
    {
        if (value.Length > MaxValue)
        {
            return (null, $"a document reference is at most {MaxValue} characters");
        }

        var parts = value.Split(' ', 4, StringSplitOptions.None);
        if (parts.Length < 3)
        {
            return (null, "a document is 'KIND sha256:HEX URI [TITLE]'");
        }

        var (kind, hash, uri) = (parts[0], parts[1], parts[2]);
        if (!Kinds.Contains(kind))
        {
            return (null, $"document kind '{Shorten(kind)}' is not one of {string.Join(", ", Kinds)}");
        }

        if (!hash.StartsWith("sha256:", StringComparison.Ordinal) || hash.Length != 7 + 64 || !hash[7..].All(char.IsAsciiHexDigitLower))
        {
            return (null, "a document's hash is sha256: and 64 lowercase hex digits");
        }

        if (uri.Length > MaxUri || !System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || uri.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return (null, $"a document's URI is absolute, without spaces, at most {MaxUri} characters, not '{Shorten(uri)}'");
        }

        if (parsed.Scheme is "javascript" or "data" or "vbscript")
        {
            return (null, $"a document's URI may not use the {parsed.Scheme}: scheme");
        }

        string? title = null;
        if (parts.Length == 4)
        {
            title = parts[3].Trim();
            if (title.Length is 0 or > DesignFields.MaxText || title.Any(char.IsControl))
            {
                return (null, $"a document's title is 1-{DesignFields.MaxText} characters without control characters");
            }
        }

        return (new DocumentReference(kind, hash[7..], uri, title), null);
    }

    /// <summary>A reference made of its parts (REST), checked the same way as one written over the channel.</summary>
    public static (DocumentReference? Document, string? Error) Of(string? kind, string? sha256, string? uri, string? title)
    {
        var hash = sha256?.StartsWith("sha256:", StringComparison.Ordinal) == true ? sha256 : $"sha256:{sha256?.ToLower(CultureInfo.InvariantCulture)}";
        var text = string.IsNullOrWhiteSpace(title) ? $"{kind} {hash} {uri}" : $"{kind} {hash} {uri} {title.Trim()}";
        return kind is null || uri is null || sha256 is null ? (null, "kind, sha256 and uri are required") : Parse(text);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
