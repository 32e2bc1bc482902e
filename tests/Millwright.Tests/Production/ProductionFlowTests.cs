using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Millwright.Api;
using Millwright.Features.Production;
using Millwright.Modbus;
using Millwright.Mqtt;
using Millwright.Security;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>
/// Orders through the real platform: planned, dispatched over MQTT to machines that answer on cmd/ack, followed
/// by their part counters to completion, and moved to another machine when one breaks down, refuses or is silent.
/// </summary>
public abstract class ProductionFlowTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_order_runs_through_both_operations_from_dispatch_to_part_counts_to_completion()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(5, TimeSpan.FromHours(2));
        Assert.Equal("released", order["status"]!.GetValue<string>());

        var (mill, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        Assert.Equal(5, job["quantity"]!.GetValue<long>());
        Assert.Equal("O1001", job["program"]!.GetValue<string>());
        Assert.Equal(order.Id(), job["orderId"]!.GetValue<long>());
        Assert.Equal(ReasonCode.Success, await mill.AnswerAsync(job, "accepted"));
        await cell.WaitForOrderAsync(order.Id(), o => Job(o, 0)["status"]!.GetValue<string>() == "running", Soon);

        await mill.ReportAsync(power: 5);
        await mill.ReportAsync(power: 5, parts: 2);
        var progressed = await cell.WaitForOrderAsync(order.Id(), o => Job(o, 0)["good"]!.GetValue<long>() == 2, Soon);
        Assert.Equal("in_progress", progressed["status"]!.GetValue<string>());
        Assert.NotNull(progressed["eta"]);

        await mill.ReportAsync(power: 5, parts: 4, scrap: 1);
        await cell.WaitForOrderAsync(order.Id(), o => Job(o, 0)["status"]!.GetValue<string>() == "done", Soon);

        var paint = cell.Machines["paint-1"];
        var painting = await paint.NextAsync("job", Soon);
        Assert.Equal("RAL5015", painting["program"]!.GetValue<string>());
        await paint.AnswerAsync(painting, "accepted");
        await cell.WaitForOrderAsync(order.Id(), o => Job(o, 1)["status"]!.GetValue<string>() == "running", Soon);
        await paint.ReportAsync(power: 3);
        await paint.ReportAsync(power: 3, parts: 5);

        var done = await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);
        Assert.Equal(5, done["good"]!.GetValue<long>());
        Assert.Equal(1, done["scrap"]!.GetValue<long>());
        Assert.False(done["late"]!.GetValue<bool>());
        Assert.Equal(1.0, done["progress"]!.GetValue<double>());

        // Milling used a blank per part made (6, one of them scrapped); the five good brackets went into stock.
        var stock = (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/inventory/stock?siteId={cell.SiteId}")).AsArray();
        Assert.Equal(94, stock.Single(s => s!["sku"]!.GetValue<string>() == "BLANK")!["quantity"]!.GetValue<double>());
        Assert.Equal(5, stock.Single(s => s!["sku"]!.GetValue<string>() == "BRKT")!["quantity"]!.GetValue<double>());

        var kpis = await cell.Tenant.Viewer.GetJsonAsync("/api/v1/production/kpis");
        Assert.Equal(1, kpis["ordersCompleted"]!.GetValue<long>());
        Assert.Equal(1.0, kpis["onTimeDelivery"]!.GetValue<double>());
        Assert.Equal(2, kpis["jobsCompleted"]!.GetValue<long>());
        Assert.Equal(0, kpis["ordersInProgress"]!.GetValue<long>());
        Assert.NotNull(kpis["leadTimeHours"]);
        Assert.NotNull(kpis["scheduleAdherence"]);
    }

    [Fact]
    public async Task A_machine_that_breaks_down_is_told_to_drop_its_job_and_the_rest_goes_to_the_other_capable_machine()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(6, TimeSpan.FromHours(2));
        var (first, job, _) = await cell.MillAsync(order.Id(), parts: 2, Soon);

        await first.ReportAsync(power: 0, alarm: 7);

        var cancel = await first.NextAsync("cancel", Soon);
        Assert.Equal(job["jobId"]!.GetValue<long>(), cancel["jobId"]!.GetValue<long>());
        var other = cell.Machines[first.Name == "mill-a" ? "mill-b" : "mill-a"];
        var moved = await other.NextAsync("job", Soon);
        Assert.Equal(job["jobId"]!.GetValue<long>(), moved["jobId"]!.GetValue<long>());
        Assert.Equal(4, moved["quantity"]!.GetValue<long>());

        var audit = (await cell.Tenant.Admin.GetJsonAsync("/api/v1/audit?limit=500"))["items"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).ToList();
        Assert.Contains(audit, s => s.Contains("interrupted on " + first.Name, StringComparison.Ordinal));
        Assert.Contains(audit, s => s.Contains("moved 1", StringComparison.Ordinal) && s.Contains($"{first.Name} → {other.Name}", StringComparison.Ordinal));

        // The run cut short stays in the schedule on the machine where it ran, with what it made there.
        var schedule = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/schedule?siteId={cell.SiteId}");
        var run = Assert.Single(schedule["runs"]!.AsArray(), r => r!["jobId"]!.GetValue<long>() == job["jobId"]!.GetValue<long>())!;
        Assert.Equal(cell.MachineIds[first.Name], run["machineId"]!.GetValue<long>());
        Assert.Equal(2, run["good"]!.GetValue<long>());
        Assert.Contains("went down", run["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(run["endedAt"]!.GetValue<DateTimeOffset>() > run["startedAt"]!.GetValue<DateTimeOffset>());

        // The second machine makes the four it was asked for and says so: its counts add to the first machine's two.
        await other.AnswerAsync(moved, "accepted");
        await cell.WaitForOrderAsync(order.Id(), o => Job(o, 0)["status"]!.GetValue<string>() == "running", Soon);
        await other.AnswerRawAsync($$$"""{"jobId": {{{job["jobId"]}}}, "status": "completed", "good": 4, "scrap": 1}""");
        var done = await cell.WaitForOrderAsync(order.Id(), o => Job(o, 0)["status"]!.GetValue<string>() == "done", Soon);
        Assert.Equal(6, Job(done, 0)["good"]!.GetValue<long>());
        Assert.Equal(1, Job(done, 0)["scrap"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_refused_job_goes_to_another_capable_machine_and_the_reason_is_kept()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(3, TimeSpan.FromHours(2));
        var (first, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");

        await first.AnswerAsync(job, "rejected", "fixture for O1001 not mounted");

        var other = cell.Machines[first.Name == "mill-a" ? "mill-b" : "mill-a"];
        var again = await other.NextAsync("job", Soon);
        Assert.Equal(job["jobId"]!.GetValue<long>(), again["jobId"]!.GetValue<long>());
        var seen = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}");
        Assert.Contains("fixture for O1001 not mounted", Job(seen, 0)["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_machine_loses_the_job_after_the_answer_timeout()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await cell.OrderAsync(3, TimeSpan.FromHours(2));
        var (first, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");

        var other = cell.Machines[first.Name == "mill-a" ? "mill-b" : "mill-a"];
        var again = await other.NextAsync("job", Soon);
        Assert.Equal(job["jobId"]!.GetValue<long>(), again["jobId"]!.GetValue<long>());
        Assert.Equal("cancel", (await first.NextAsync("cancel", Soon))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_only_capable_machine_gets_its_unanswered_job_again_and_the_order_completes()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(2, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");
        var paint = cell.Machines["paint-1"];
        var unanswered = await paint.NextAsync("job", Soon);

        Assert.Equal(unanswered["jobId"]!.GetValue<long>(), (await paint.NextAsync("cancel", Soon))["jobId"]!.GetValue<long>());
        var again = await paint.NextAsync("job", Soon);
        Assert.Equal(unanswered["jobId"]!.GetValue<long>(), again["jobId"]!.GetValue<long>());
        Assert.NotEqual(unanswered["commandId"]!.GetValue<string>(), again["commandId"]!.GetValue<string>());
        await paint.AnswerAsync(again, "completed");

        var done = await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);
        Assert.Null(done["problem"]);
        Assert.Equal(2, done["good"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_job_for_Modbus_machines_without_a_command_map_is_refused_for_them_and_the_order_shows_the_problem()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var device = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();
        await cell.PollOverModbusAsync(Host, "mill-a", device.LocalEndPoint.Port);
        await cell.PollOverModbusAsync(Host, "mill-b", device.LocalEndPoint.Port);

        var order = await cell.OrderAsync(3, TimeSpan.FromHours(2));

        // Each mill is tried, refused by the port as a machine would refuse it, and avoided; then none is left.
        var stuck = await cell.WaitForOrderAsync(order.Id(), o => o["problem"] is not null, Soon);
        Assert.Contains("polled over Modbus TCP without a command map", Job(stuck, 0)["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("waiting", Job(stuck, 0)["status"]!.GetValue<string>());
        Assert.DoesNotContain(cell.Machines["mill-a"].Commands.Concat(cell.Machines["mill-b"].Commands), c => c["type"]!.GetValue<string>() == "job");
    }

    [Fact]
    public async Task Cancelling_an_order_tells_the_machine_holding_its_job()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(3, TimeSpan.FromHours(2));
        var (first, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await first.AnswerAsync(job, "accepted");

        var cancelled = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { }, HttpStatusCode.OK);

        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal(job["jobId"]!.GetValue<long>(), (await first.NextAsync("cancel", Soon))["jobId"]!.GetValue<long>());
        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_answer_that_is_not_the_documented_JSON_gets_PUBACK_0x99_with_the_reason()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var machine = cell.Machines["mill-a"];

        Assert.Equal(ReasonCode.PayloadFormatInvalid, await machine.AnswerRawAsync("""{"jobId": 1, "status": "maybe"}"""));
        Assert.Equal(ReasonCode.PayloadFormatInvalid, await machine.AnswerRawAsync("not json"));
        Assert.Equal(ReasonCode.Success, await machine.AnswerRawAsync("""{"jobId": 999999, "status": "accepted"}"""));
    }

    [Fact]
    public async Task The_schedule_shows_plan_and_actual_per_machine()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(4, TimeSpan.FromHours(2));
        await cell.NextJobAsync(Soon, "mill-a", "mill-b");

        var schedule = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/schedule?siteId={cell.SiteId}");

        Assert.Equal(3, schedule["machines"]!.AsArray().Count);
        var jobs = schedule["jobs"]!.AsArray().Where(j => j!["orderId"]!.GetValue<long>() == order.Id()).ToList();
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.NotNull(j!["plannedStart"]));
        Assert.Contains(jobs, j => j!["status"]!.GetValue<string>() == "dispatched" && j["dispatchedAt"] is not null);
    }

    /// <summary>Waits until one of the named machines gets a job command; returns it and the command.</summary>
    [Fact]
    public async Task Work_waits_while_the_site_is_closed_and_goes_out_once_it_opens()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var opens = DateTimeOffset.UtcNow.AddHours(3);
        string[] everyDay = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new
        {
            shifts = new object[] { new { name = "late", days = everyDay, start = opens.ToString("HH:mm", CultureInfo.InvariantCulture), end = opens.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) } },
        }, HttpStatusCode.OK);

        var order = await cell.OrderAsync(5, TimeSpan.FromHours(8));
        await cell.WaitForOrderAsync(order.Id(), o => Job(o, 0)["plannedStart"] is { } start && start.GetValue<DateTimeOffset>() > opens.AddMinutes(-2), Soon);

        // The absence is proven by order, not by waiting: one loop plans and then dispatches, so once the plan a
        // re-plan asked for now is in the audit, the round that made the first plan has dispatched what it would.
        // A dispatch marks the job before its command goes out.
        await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/replan", new { }, HttpStatusCode.Accepted);
        await Eventually.TrueAsync(
            async () => (await cell.Tenant.Admin.GetJsonAsync("/api/v1/audit?limit=500"))["items"]!.AsArray()
                .Any(e => e!["summary"]!.GetValue<string>().StartsWith("requested by", StringComparison.Ordinal)),
            "the planner to record the re-plan asked for");
        var planned = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}");
        Assert.Equal("released", planned["status"]!.GetValue<string>());
        Assert.Equal("waiting", Job(planned, 0)["status"]!.GetValue<string>());
        Assert.DoesNotContain(cell.Machines.Values.SelectMany(m => m.Commands), c => c["type"]!.GetValue<string>() == "job");

        await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new { shifts = Array.Empty<object>() }, HttpStatusCode.OK);
        await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/replan", new { }, HttpStatusCode.Accepted);
        var (_, job) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        Assert.Equal(order.Id(), job["orderId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_breakdown_re_plan_reports_the_job_it_moved_from_the_broken_machine_to_its_tenant_only()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var order = await cell.OrderAsync(6, TimeSpan.FromHours(2));
        var (first, job, _) = await cell.MillAsync(order.Id(), parts: 2, Soon);

        await first.ReportAsync(power: 0, alarm: 7);
        var other = cell.Machines[first.Name == "mill-a" ? "mill-b" : "mill-a"];
        await other.NextAsync("job", Soon);

        var revisions = (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/schedule/changes")).AsArray();
        var revision = revisions.First(r => r!["moves"]!.AsArray().Count > 0)!;
        var move = Assert.Single(revision["moves"]!.AsArray())!;
        Assert.Equal(job["jobId"]!.GetValue<long>(), move["jobId"]!.GetValue<long>());
        Assert.Equal((cell.MachineIds[first.Name], cell.MachineIds[other.Name]), (move["fromMachineId"]!.GetValue<long>(), move["toMachineId"]!.GetValue<long>()));
        Assert.Equal($"{first.Name} is down or offline", move["why"]!.GetValue<string>());
        Assert.Contains("went down", revision["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, revision["moved"]!.GetValue<long>());

        using var stranger = await Host.CreateTenantAsync("moves");
        Assert.Empty((await stranger.Viewer.GetJsonAsync("/api/v1/schedule/changes")).AsArray());
        await cell.Tenant.Viewer.GetJsonAsync("/api/v1/schedule/changes?limit=0", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_machine_down_now_is_expected_back_after_its_own_mean_residual_repair_time()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var clock = new ManualClock(ManualClock.DefaultStart.AddYears(5));
        var mill = cell.MachineIds["mill-a"];
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(cell.Tenant.Id), clock))
        {
            foreach (var (start, minutes) in new[] { (-300, 10), (-200, 20), (-100, 30) })
            {
                await s.ExecuteAsync("INSERT INTO machine_states (tenant_id, machine_id, state, start_at, end_at) VALUES (@Tenant, @mill, 'down', @from, @to)",
                    new { s.Tenant, mill, from = now + (start * 60_000L), to = now + ((start + minutes) * 60_000L) });
            }

            await s.ExecuteAsync("INSERT INTO machine_states (tenant_id, machine_id, state, start_at, end_at) VALUES (@Tenant, @mill, 'setup', @from, @to)",
                new { s.Tenant, mill, from = now - (400 * 60_000L), to = now - (390 * 60_000L) });
            await s.CommitAsync();
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        await using (var s = await Session.BeginAsync(Host.Database, Caller.CommandLine(cell.Tenant.Id), clock))
        {
            var machines = (await ProductionStore.MachinesAsync(s, new Dictionary<long, string> { [mill] = "down" })).Where(m => m.Id == mill).ToList();
            var learned = await MachineHistory.LoadAsync(s, machines, new Dictionary<long, string> { [mill] = "down" }, TimeSpan.FromMinutes(30));

            // Down for 5 minutes already, as the tracker says; no open interval stored, so nothing has elapsed in the store's view.
            Assert.Equal(TimeSpan.FromMinutes(20), learned.Repairs![mill]);
            Assert.Empty(learned.Setups!);
            Assert.Equal(TimeSpan.FromMinutes(30), learned.FrozenHorizon);
        }
    }

    private static JsonNode Job(JsonNode order, int seq) => order["jobs"]!.AsArray().Single(j => j!["seq"]!.GetValue<int>() == seq)!;

    public sealed class OnSqlite(SqliteProductionHost host) : ProductionFlowTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ProductionFlowTests(host), IClassFixture<PostgresProductionHost>;
}
