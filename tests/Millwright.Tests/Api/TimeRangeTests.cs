using System.Net;
using Millwright.Api;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

/// <summary>Every route with from=/to= reads them by one rule: epoch milliseconds or ISO 8601 with a zone.</summary>
public abstract class TimeRangeTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    public static TheoryData<string> Routes => new()
    {
        "/api/v1/machines/{machine}/states?",
        "/api/v1/kpis?machine={machine}&",
        "/api/v1/kpis/machines?",
        "/api/v1/inventory/turnover?",
        "/api/v1/production/kpis?",
        "/api/v1/schedule?",
        "/api/v1/alarms/history?",
        "/api/v1/alarms/counts?",
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Epoch_milliseconds_and_zoned_ISO_times_are_accepted_alike(string route)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = route.Replace("{machine}", plant.MachineId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var from = DateTimeOffset.Parse("2026-01-05T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var byEpoch = await t.Viewer.GetJsonAsync($"{path}from={from.ToUnixTimeMilliseconds()}&to={from.AddHours(8).ToUnixTimeMilliseconds()}");
        var byIso = await t.Viewer.GetJsonAsync($"{path}from=2026-01-05T06:00:00%2B01:00&to=2026-01-05T13:00:00Z");

        // The same range read two ways gives the same answer (the schedule also says when it was asked: not compared).
        Assert.Equal(WithoutNow(byEpoch), WithoutNow(byIso));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_time_without_a_zone_is_refused_naming_the_parameter(string route)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = route.Replace("{machine}", plant.MachineId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"{path}from=2026-01-05T05:00:00Z&to=2026-01-05T13:00:00", null, HttpStatusCode.BadRequest,
            "to: '2026-01-05T13:00:00' is not a time with a zone");
    }

    [Fact]
    public void A_range_defaults_to_the_day_before_now_and_is_checked_for_order_and_span()
    {
        const long Now = 1_767_600_000_000;

        Assert.Equal(new TimeRange(Now - 86_400_000, Now), TimeRange.Of(null, null, Now, TimeSpan.FromDays(7)));
        Assert.Equal(new TimeRange(5, 10), TimeRange.Of(new ZonedTime(5), new ZonedTime(10), Now, TimeSpan.FromDays(7)));
        Assert.Equal("from: must be before 'to'", Assert.Throws<ApiProblem>(() => TimeRange.Of(new ZonedTime(10), new ZonedTime(10), Now, TimeSpan.FromDays(7))).Message);
        Assert.Equal("to: the range may span at most 7 days", Assert.Throws<ApiProblem>(() => TimeRange.Of(new ZonedTime(0), new ZonedTime(Now), Now, TimeSpan.FromDays(7))).Message);
    }

    private static string WithoutNow(System.Text.Json.Nodes.JsonNode node)
    {
        if (node is System.Text.Json.Nodes.JsonObject o)
        {
            o.Remove("now");
        }

        return node.ToJsonString();
    }

    public sealed class OnSqlite(SqliteHost host) : TimeRangeTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : TimeRangeTests(host), IClassFixture<PostgresHost>;
}
