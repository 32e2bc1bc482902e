using System.Net;
using System.Text.RegularExpressions;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Dashboard;

/// <summary>The dashboard's files over plain HTTP: no key needed, a strict CSP, caching, and nothing from elsewhere.</summary>
public sealed partial class DashboardAssetsTests(SqliteHost fixture) : IClassFixture<SqliteHost>
{
    private static readonly string[] Files =
    [
        "app.css", "favicon.svg", "js/app.js", "js/api.js", "js/live.js", "js/plant.js", "js/dom.js", "js/screen.js", "js/floor.js", "js/map.js",
        "js/machine.js", "js/machinelink.js", "js/risk.js", "js/charts.js", "js/alarms.js", "js/kpis.js", "js/goals.js", "js/innovation.js", "vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.min.css", "vendor/uplot/LICENSE",
        "js/fleet.js", "js/fleetlayer.js", "js/fleetoverlays.js", "js/mapview.js", "js/topojson.js", "vendor/supercluster/supercluster.min.js",
        "vendor/supercluster/LICENSE", "vendor/supercluster/LICENSE-kdbush", "vendor/world-atlas/countries-50m.json", "vendor/world-atlas/LICENSE",
    ];

    [Fact]
    public async Task The_page_is_served_without_a_key_under_a_strict_content_security_policy()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseAddress };
        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/dashboard", root.Headers.Location?.ToString());

        using var page = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(InlineScript(), html);
    }

    [Fact]
    public async Task Every_file_is_embedded_cached_by_etag_and_refers_to_no_other_origin()
    {
        using var client = fixture.Host.Client(null);
        foreach (var file in Files)
        {
            using var response = await client.GetAsync($"/ui/{file}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
            Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
            var text = await response.Content.ReadAsStringAsync();
            if (!file.StartsWith("vendor/", StringComparison.Ordinal))
            {
                Assert.DoesNotMatch(ExternalUrl(), text);
            }

            using var again = new HttpRequestMessage(HttpMethod.Get, $"/ui/{file}");
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }

    [Theory]
    [InlineData("/ui/nope.js")]
    [InlineData("/ui/")]
    [InlineData("/ui/js")]
    [InlineData("/ui/index.html/x")]
    public async Task A_file_the_dashboard_does_not_have_is_a_404_problem(string path)
    {
        using var client = fixture.Host.Client(null);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/ui/../Millwright.csproj")]
    [InlineData("/ui/%2e%2e/%2e%2e/appsettings.json")]
    [InlineData("/ui/..%2f..%2fmillwright.dll")]
    public async Task A_path_that_climbs_out_of_the_dashboard_gets_nothing(string path)
    {
        // Only embedded names are looked up, never the file system; a dot segment also leaves /ui/ before routing.
        using var client = fixture.Host.Client(null);
        using var response = await client.GetAsync(path);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    // Any absolute URL to another host: nothing may come from a CDN (the SVG namespace is an identifier, not a fetch).
    [GeneratedRegex(@"(?:https?:)?//(?!www\.w3\.org/2000/svg)[a-z0-9.-]+\.[a-z]{2,}/", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
