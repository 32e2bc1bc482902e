namespace Millwright.Features.Fleet;

/// <summary>
/// Where a paged AEMP feed goes next. A page's <c>next</c> href is resolved against the page's URL; it is followed
/// only within the source's origin (scheme, host and port: the feed's credentials go with every request, so a link
/// elsewhere is refused as an error rather than followed), at most <see cref="MaxPages"/> pages a poll, and never
/// to a page already read this poll (a loop ends the poll with a warning, keeping what was read).
/// </summary>
internal sealed class FeedPages(Uri first)
{
    public const int MaxPages = 100;

    private readonly HashSet<string> _seen = [first.AbsoluteUri];

    public Uri? First { get; } = first;

    public int Page { get; private set; } = 1;

    /// <summary>An error as it happened on the current page ("page 3: ..." once the feed is paged).</summary>
    public string Name(string error) => Page == 1 ? error : $"page {Page}: {error}";

    public (Uri? Next, string? Error) Follow(Uri current, string? href, List<string> warnings)
    {
        if (href is null)
        {
            return (null, null);
        }

        if (!Uri.TryCreate(current, href, out var next) || next.Scheme is not ("http" or "https"))
        {
            return (null, Name($"the next link '{href}' is not an http(s) URL"));
        }

        if (Uri.Compare(next, First, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return (null, Name($"the next link leads to {next.GetLeftPart(UriPartial.Authority)}, outside the feed's origin {First!.GetLeftPart(UriPartial.Authority)}: not followed"));
        }

        if (!_seen.Add(next.AbsoluteUri))
        {
            warnings.Insert(0, $"page {Page}'s next link leads back to a page already read; stopped after {Page} pages");
            return (null, null);
        }

        if (Page == MaxPages)
        {
            warnings.Insert(0, $"the feed has more than {MaxPages} pages; read the first {MaxPages}");
            return (null, null);
        }

        Page++;
        return (next, null);
    }
}
