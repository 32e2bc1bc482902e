namespace Millwright.Web;

/// <summary>
/// Serves the browser dashboard: <c>/dashboard</c> (the page), <c>/ui/...</c> (its scripts, styles and the
/// vendored chart library) and <c>/</c> (a redirect to the page). The files hold no data, so they need no key;
/// the page signs in with a tenant's API key and reads everything through the REST API and the live feed.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>
    /// No inline script or style, nothing from another origin: a script injected through a machine name could not
    /// run, and the page works on a plant network without internet. 'self' in connect-src covers the same-origin
    /// WebSocket of the live feed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        var assets = new DashboardAssets();
        app.MapGet("/", () => TypedResults.Redirect("/dashboard"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/dashboard", (HttpContext http) => Serve(http, assets.Find("index.html"), revalidate: true))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/ui/{**path}", (string? path, HttpContext http) => Serve(http, path is null ? null : assets.Find(path), revalidate: false))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, DashboardAsset? asset, bool revalidate)
    {
        if (asset is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The dashboard has no such file.");
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ETag = asset.ETag;
        // The page is revalidated on every load so a new version's script URLs are seen at once; the files under
        // /ui/ are revalidated after five minutes (they are not fingerprinted, so they cannot be immutable).
        headers.CacheControl = revalidate ? "no-cache" : "public, max-age=300";
        if (http.Request.Headers.IfNoneMatch.Any(v => v == asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }
}
