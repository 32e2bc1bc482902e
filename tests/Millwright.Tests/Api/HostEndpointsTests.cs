using System.Net;
using Millwright.Tests.Harness;
using Millwright.Tests.Isolation;

namespace Millwright.Tests.Api;

public abstract class HostEndpointsTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Health_answers_without_a_key_and_names_the_store()
    {
        using var anonymous = Host.Client(null);

        var health = await anonymous.GetJsonAsync("/health");

        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal(Host.Database.Provider, health["store"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_answers_without_a_key_and_lists_every_route()
    {
        using var anonymous = Host.Client(null);

        var document = await anonymous.GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        var expected = Routes.All.Select(r => r.Template)
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal) || p == "/health")
            .Select(p => System.Text.RegularExpressions.Regex.Replace(p, ":long}", "}").TrimEnd('/'));
        Assert.All(expected, p => Assert.Contains(p, paths.Select(x => x.TrimEnd('/'))));
    }

    [Fact]
    public async Task A_request_without_a_key_is_unauthorized_with_problem_details()
    {
        using var anonymous = Host.Client(null);

        using var response = await anonymous.GetAsync("/api/v1/sites");

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "An API key is required");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_key_works_in_the_x_api_key_header_too()
    {
        using var t = await Host.CreateTenantAsync();
        using var client = Host.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", t.ViewerKey);

        Assert.Empty(await client.ListAsync("/api/v1/sites"));
    }

    public sealed class OnSqlite(SqliteHost host) : HostEndpointsTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : HostEndpointsTests(host), IClassFixture<PostgresHost>;
}
