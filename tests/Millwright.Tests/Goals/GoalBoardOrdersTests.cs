using System.Text.Json.Nodes;
using Millwright.Features.Production;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Goals;

/// <summary>Lead time and on-time delivery on the board come from orders that machines really completed over MQTT.</summary>
public abstract class GoalBoardOrdersTests(GoalBoardOrdersTests.Host fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Lead_time_and_on_time_delivery_are_the_production_KPIs_of_each_period()
    {
        var start = DateTimeOffset.UtcNow;
        await using var cell = await ProductionCell.CreateAsync(fixture.Running);
        var order = await cell.OrderAsync(2, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");
        var paint = cell.Machines["paint-1"];
        await paint.AnswerAsync(await paint.NextAsync("job", Soon), "completed");
        await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);
        var end = DateTimeOffset.UtcNow.AddMinutes(1);
        var current = $"currentFrom={start.AddHours(-1).ToUnixTimeMilliseconds()}&currentTo={end.ToUnixTimeMilliseconds()}";
        var baseline = $"baselineFrom={start.AddHours(-3).ToUnixTimeMilliseconds()}&baselineTo={start.AddHours(-2).ToUnixTimeMilliseconds()}";

        var board = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/kpis/board?{baseline}&{current}");
        var kpis = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/production/kpis?from={Uri.EscapeDataString(start.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}");

        JsonNode Tile(string key) => board["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!;
        Assert.Equal(1, kpis["ordersCompleted"]!.GetValue<long>());
        Assert.Equal(kpis["leadTimeHours"]!.GetValue<double>(), Tile("leadTime")["current"]!.GetValue<double>());
        Assert.Equal(1.0, Tile("onTimeDelivery")["current"]!.GetValue<double>());
        Assert.False(Tile("leadTime")["upIsGood"]!.GetValue<bool>());
        // Nothing was ordered three hours ago: no baseline, so no change either.
        Assert.Null(Tile("leadTime")["baseline"]);
        Assert.Null(Tile("onTimeDelivery")["changePercent"]);
        // The order shows in exactly one bucket of the sparkline.
        Assert.Single(Tile("onTimeDelivery")["sparkline"]!.AsArray(), p => p!["value"] is not null);
    }

    public abstract class Host(bool postgres) : IAsyncLifetime
    {
        private TestHost? _host;

        public TestHost Running => _host ?? throw new InvalidOperationException("the host did not start");

        public async Task InitializeAsync() => _host = await TestHost.StartAsync(postgres, mqtt: true, configure: o => o with
        {
            Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(3) },
        });

        public async Task DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }

    public sealed class SqliteOrdersHost() : Host(postgres: false);

    public sealed class PostgresOrdersHost() : Host(postgres: true);

    public sealed class OnSqlite(SqliteOrdersHost host) : GoalBoardOrdersTests(host), IClassFixture<SqliteOrdersHost>;

    public sealed class OnPostgres(PostgresOrdersHost host) : GoalBoardOrdersTests(host), IClassFixture<PostgresOrdersHost>;
}
