using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>
/// What-if plans: a machine removed, a rush order added or overtime on a line, compared with the followed plan and
/// a fresh re-plan without changing anything; applied only while the plan is unchanged. Overtime in site calendars. The cell's site is stopped for two hours, so
/// the planner plans the orders after the stop and dispatches nothing: the followed plan holds still.
/// </summary>
public abstract class WhatIfTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_machine_removed_is_compared_with_the_followed_plan_and_changes_nothing()
    {
        await using var cell = await StoppedCellAsync();
        var orders = await PlannedOrdersAsync(cell, 3);
        var before = await JobsAsync(cell, orders);

        var answer = await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new { removeMachines = new[] { cell.MachineIds["mill-b"] } }, HttpStatusCode.OK);

        var scenarioMill = answer["scenario"]!["machines"]!.AsArray().Single(m => m!["machineId"]!.GetValue<long>() == cell.MachineIds["mill-b"])!;
        Assert.Equal(0, scenarioMill["busyHours"]!.GetValue<double>());
        var fromMillB = before.Where(j => j.Machine == cell.MachineIds["mill-b"]).Select(j => j.Id).ToList();
        Assert.NotEmpty(fromMillB);
        Assert.All(fromMillB, id => Assert.Contains(answer["moves"]!.AsArray(), m => m!["jobId"]!.GetValue<long>() == id
            && m["why"]!.GetValue<string>() == "mill-b is removed in the what-if"));
        Assert.True(answer["scenario"]!["makespanHours"]!.GetValue<double>() >= answer["current"]!["makespanHours"]!.GetValue<double>());
        Assert.Equal(before, await JobsAsync(cell, orders));
    }

    [Fact]
    public async Task A_rush_order_is_planned_without_being_created_and_applying_creates_it()
    {
        await using var cell = await StoppedCellAsync();
        var orders = await PlannedOrdersAsync(cell, 2);

        var answer = await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new
        {
            rushOrders = new[] { new { itemId = cell.BracketId, siteId = cell.SiteId, quantity = 2, dueAt = DateTimeOffset.UtcNow.AddHours(3) } },
        }, HttpStatusCode.OK);

        var rush = answer["rushOrders"]![0]!;
        Assert.NotNull(rush["eta"]);
        Assert.Equal(orders.Count, (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/orders"))["items"]!.AsArray().Count);
        var applied = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/schedule/what-if/{answer.Id()}/apply", new { }, HttpStatusCode.OK);
        var created = applied["createdOrders"]![0]!.GetValue<long>();
        var order = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{created}");
        Assert.Equal(("released", 100), (order["status"]!.GetValue<string>(), order["priority"]!.GetValue<int>()));
        Assert.All(order["jobs"]!.AsArray(), j => Assert.NotNull(j!["machineId"]));
        var again = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/schedule/what-if/{answer.Id()}/apply", new { }, HttpStatusCode.Conflict);
        Assert.Contains("was applied", again["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applying_after_the_plan_changed_is_refused_with_the_reason()
    {
        await using var cell = await StoppedCellAsync();
        var orders = await PlannedOrdersAsync(cell, 2);
        var answer = await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new { removeMachines = new[] { cell.MachineIds["mill-a"] } }, HttpStatusCode.OK);

        await PlannedOrdersAsync(cell, 1);
        var refused = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/schedule/what-if/{answer.Id()}/apply", new { }, HttpStatusCode.Conflict);

        Assert.Contains("the plan changed since it was asked", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var calendar = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar");
        Assert.DoesNotContain(calendar["calendar"]!["plannedStops"]!.AsArray(), p => p!["machineId"] is not null);
    }

    [Fact]
    public async Task Overtime_on_the_line_brings_work_forward_against_a_fresh_replan_and_applying_puts_it_in_the_calendar()
    {
        await using var cell = await ClosedCellAsync();
        await PlannedOrdersAsync(cell, 2);

        var answer = await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new
        {
            overtime = new[] { new { lineId = cell.LineId, from = DateTimeOffset.UtcNow, to = DateTimeOffset.UtcNow.AddHours(2) } },
        }, HttpStatusCode.OK);

        var scenario = answer["scenario"]!["makespanHours"]!.GetValue<double>();
        Assert.True(scenario < answer["current"]!["makespanHours"]!.GetValue<double>(), answer.ToJsonString());
        // Re-planned now without the overtime, the work still waits for the shift: the gain is the overtime's.
        Assert.True(scenario < answer["replanned"]!["makespanHours"]!.GetValue<double>(), answer.ToJsonString());

        var applied = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/schedule/what-if/{answer.Id()}/apply", new { }, HttpStatusCode.OK);
        Assert.Equal(cell.LineId, applied["overtimeLines"]!.AsArray().Single()!.GetValue<long>());
        var overtime = (await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar"))["calendar"]!["overtime"]!.AsArray().Single()!;
        Assert.Equal((cell.LineId, $"overtime from what-if {answer.Id()}"), (overtime["lineId"]!.GetValue<long>(), overtime["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_applied_overtime_plan_is_the_plan_compared_and_a_replan_keeps_it_in_the_overtime()
    {
        // The shift opens in four hours; overtime from one hour to four. Nothing can be dispatched before the overtime begins.
        await using var cell = await ClosedCellAsync(TimeSpan.FromHours(4));
        var orders = await PlannedOrdersAsync(cell, 2);
        var overtimeFrom = DateTimeOffset.UtcNow.AddHours(1);
        var shiftOpens = DateTimeOffset.UtcNow.AddHours(4);
        var answer = await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new
        {
            overtime = new[] { new { lineId = cell.LineId, from = overtimeFrom, to = shiftOpens } },
        }, HttpStatusCode.OK);
        var scenario = answer["scenario"]!;
        var scenarioEnd = scenario["lastEnd"]!.GetValue<DateTimeOffset>();
        Assert.True(scenarioEnd < shiftOpens, answer.ToJsonString());

        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/schedule/what-if/{answer.Id()}/apply", new { }, HttpStatusCode.OK);

        // Applied: the stored plan is the scenario's (its last end, each moved job's machine, each machine's work).
        var applied = await PlannedJobsAsync(cell, orders);
        Assert.Equal(scenarioEnd, applied.Max(j => j.End));
        Assert.All(answer["moves"]!.AsArray(), m => Assert.Equal(m!["toMachineId"]!.GetValue<long>(), applied.Single(j => j.Id == m["jobId"]!.GetValue<long>()).Machine));
        foreach (var machine in scenario["machines"]!.AsArray())
        {
            var busy = applied.Where(j => j.Machine == machine!["machineId"]!.GetValue<long>()).Sum(j => (j.End - j.Start).TotalHours);
            Assert.Equal(machine!["busyHours"]!.GetValue<double>(), busy, 2);
        }

        // Re-planned afterwards, the work stays in the overtime, because the overtime is now working time in the calendar.
        var applyRevision = (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/schedule/changes")).AsArray()[0]!.Id();
        await cell.Tenant.Operator.PostJsonAsync("/api/v1/schedule/replan", new { }, HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/schedule/changes")).AsArray()
            .Any(r => r!.Id() > applyRevision && r!["reason"]!.GetValue<string>().Contains("requested by", StringComparison.Ordinal)), "the re-plan asked for", Soon);
        var replanned = await PlannedJobsAsync(cell, orders);
        Assert.All(replanned, j => Assert.True(j.Start >= overtimeFrom.AddMinutes(-1) && j.End < shiftOpens, $"job {j.Id} planned {j.Start:u} to {j.End:u}"));
        Assert.True(replanned.Max(j => j.End) <= scenarioEnd.AddMinutes(1), $"re-planned to end {replanned.Max(j => j.End):u}, compared {scenarioEnd:u}");
    }

    [Fact]
    public async Task Overtime_in_the_site_calendar_is_planned_with_and_kept_by_a_calendar_that_leaves_it_out()
    {
        await using var cell = await ClosedCellAsync();
        await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new
        {
            shifts = new[] { ShiftOpeningIn(TimeSpan.FromHours(2)) },
            overtime = new[] { new { lineId = cell.LineId, from = DateTimeOffset.UtcNow.AddMinutes(-1), to = DateTimeOffset.UtcNow.AddHours(2), reason = "rush week" } },
        }, HttpStatusCode.OK);

        var orders = await PlannedOrdersAsync(cell, 1);

        Assert.All(await JobsAsync(cell, orders), j => Assert.True(j.Start < DateTimeOffset.UtcNow.AddHours(1), $"job {j.Id} planned at {j.Start:u}"));
        var kept = await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new { shifts = new[] { ShiftOpeningIn(TimeSpan.FromHours(2)) } }, HttpStatusCode.OK);
        Assert.Equal("rush week", kept["calendar"]!["overtime"]!.AsArray().Single()!["reason"]!.GetValue<string>());
        var cleared = await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new { overtime = Array.Empty<object>() }, HttpStatusCode.OK);
        Assert.Empty(cleared["calendar"]!["overtime"]!.AsArray());
    }

    [Fact]
    public async Task Overtime_may_name_only_a_line_of_the_site_and_of_the_tenant()
    {
        await using var a = await ClosedCellAsync();
        await using var b = await ClosedCellAsync();

        var refused = await a.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{a.SiteId}/calendar", new
        {
            overtime = new[] { new { lineId = b.LineId, from = DateTimeOffset.UtcNow, to = DateTimeOffset.UtcNow.AddHours(2) } },
        }, HttpStatusCode.BadRequest);

        Assert.True(refused["errors"]!.AsObject().ContainsKey("overtime[0].lineId"), refused.ToJsonString());
        Assert.Empty((await b.Tenant.Viewer.GetJsonAsync($"/api/v1/sites/{b.SiteId}/calendar"))["calendar"]!["overtime"]!.AsArray());
    }

    [Fact]
    public async Task Another_tenant_can_neither_apply_a_what_if_nor_remove_a_machine_not_its_own()
    {
        await using var a = await StoppedCellAsync();
        await using var b = await StoppedCellAsync();
        await PlannedOrdersAsync(a, 1);
        var answer = await a.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new { removeMachines = new[] { a.MachineIds["mill-a"] } }, HttpStatusCode.OK);

        await b.Tenant.Operator.PostJsonAsync($"/api/v1/schedule/what-if/{answer.Id()}/apply", new { }, HttpStatusCode.NotFound);
        await b.Tenant.Operator.PostJsonAsync("/api/v1/schedule/what-if", new { removeMachines = new[] { a.MachineIds["mill-a"] } }, HttpStatusCode.BadRequest);
        await a.Tenant.Viewer.PostJsonAsync("/api/v1/schedule/what-if", new { removeMachines = new[] { a.MachineIds["mill-a"] } }, HttpStatusCode.Forbidden);
    }

    /// <summary>A cell whose site (UTC) works a daily 20-hour shift that opens in two hours (or <paramref name="opens"/>): closed now, so nothing is dispatched.</summary>
    private async Task<ProductionCell> ClosedCellAsync(TimeSpan? opens = null)
    {
        var cell = await ProductionCell.CreateAsync(Host);
        await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new { shifts = new[] { ShiftOpeningIn(opens ?? TimeSpan.FromHours(2)) } }, HttpStatusCode.OK);
        return cell;
    }

    private static object ShiftOpeningIn(TimeSpan after)
    {
        var start = DateTimeOffset.UtcNow + after;
        return new
        {
            name = "long day", days = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" },
            start = start.ToString("HH:mm", CultureInfo.InvariantCulture), end = start.AddHours(20).ToString("HH:mm", CultureInfo.InvariantCulture),
        };
    }

    private async Task<ProductionCell> StoppedCellAsync()
    {
        var cell = await ProductionCell.CreateAsync(Host);
        await cell.Tenant.Operator.PutJsonAsync($"/api/v1/sites/{cell.SiteId}/calendar", new
        {
            plannedStops = new[] { new { from = DateTimeOffset.UtcNow.AddMinutes(-1), to = DateTimeOffset.UtcNow.AddHours(2), reason = "stocktaking" } },
        }, HttpStatusCode.OK);
        return cell;
    }

    /// <summary>Releases orders and waits until every open order's jobs have a machine and a start.</summary>
    private static async Task<List<long>> PlannedOrdersAsync(ProductionCell cell, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await cell.OrderAsync(20 + i, TimeSpan.FromHours(2.5 + i));
        }

        var ids = (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/orders"))["items"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()).ToList();
        foreach (var id in ids)
        {
            await cell.WaitForOrderAsync(id, o => o["jobs"]!.AsArray().All(j => j!["machineId"] is not null && j["plannedStart"] is not null), Soon);
        }

        return ids;
    }

    private static async Task<List<(long Id, long Machine, DateTimeOffset Start, DateTimeOffset End)>> PlannedJobsAsync(ProductionCell cell, List<long> orders)
    {
        var jobs = new List<(long, long, DateTimeOffset, DateTimeOffset)>();
        foreach (var id in orders)
        {
            var order = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{id}");
            jobs.AddRange(order["jobs"]!.AsArray().Select(j => (j!["id"]!.GetValue<long>(), j["machineId"]!.GetValue<long>(),
                j["plannedStart"]!.GetValue<DateTimeOffset>(), j["plannedEnd"]!.GetValue<DateTimeOffset>())));
        }

        return jobs;
    }

    private static async Task<List<(long Id, long Machine, DateTimeOffset Start)>> JobsAsync(ProductionCell cell, List<long> orders)
    {
        var jobs = new List<(long, long, DateTimeOffset)>();
        foreach (var id in orders)
        {
            var order = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{id}");
            jobs.AddRange(order["jobs"]!.AsArray().Select(j => (j!["id"]!.GetValue<long>(), j["machineId"]!.GetValue<long>(), j["plannedStart"]!.GetValue<DateTimeOffset>())));
        }

        return jobs;
    }

    public sealed class OnSqlite(SqliteProductionHost host) : WhatIfTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : WhatIfTests(host), IClassFixture<PostgresProductionHost>;
}
