using System.Text.Json.Nodes;
using Millwright.Features.Production;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>The planner started again (as after a platform restart) sends every held job to its machine once more.</summary>
public abstract class ProductionRestartTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_held_job_is_sent_again_for_what_is_left_and_the_run_goes_on_from_its_start()
    {
        await using var cell = await ProductionCell.CreateAsync(fixture.Host);
        var order = await cell.OrderAsync(5, TimeSpan.FromHours(2));
        var (mill, job, before) = await cell.MillAsync(order.Id(), parts: 2, Soon);

        var planner = fixture.Host.Service<ProductionPlanner>();
        await planner.StopAsync(CancellationToken.None);
        await planner.StartAsync(CancellationToken.None);

        // A machine that restarted without the job starts the three still to make; one still on it just goes on.
        var again = await mill.NextAsync("job", Soon);
        Assert.Equal(job["jobId"]!.GetValue<long>(), again["jobId"]!.GetValue<long>());
        Assert.Equal(3, again["quantity"]!.GetValue<long>());
        Assert.NotEqual(job["commandId"]!.GetValue<string>(), again["commandId"]!.GetValue<string>());
        await mill.AnswerAsync(again, "accepted");
        var resumed = await cell.WaitForOrderAsync(order.Id(), o => Milling(o)["status"]!.GetValue<string>() == "running", Soon);
        Assert.Equal(Milling(before)["startedAt"]!.GetValue<DateTimeOffset>(), Milling(resumed)["startedAt"]!.GetValue<DateTimeOffset>());

        await mill.ReportAsync(power: 5, parts: 3);
        var done = await cell.WaitForOrderAsync(order.Id(), o => Milling(o)["status"]!.GetValue<string>() == "done", Soon);
        Assert.Equal(5, Milling(done)["good"]!.GetValue<long>());
    }

    private static JsonNode Milling(JsonNode order) => order["jobs"]!.AsArray().Single(j => j!["seq"]!.GetValue<int>() == 0)!;

    public sealed class OnSqlite(SqliteProductionHost host) : ProductionRestartTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ProductionRestartTests(host), IClassFixture<PostgresProductionHost>;
}
