using Millwright.Features.Calendars;
using Millwright.Features.Production;
using Millwright.Scheduling.Model;

namespace Millwright.Tests.Production;

/// <summary>Plans follow the calendars: work pauses while a site is closed, and a machine's planned stop is kept clear.</summary>
public sealed class PlanningCalendarTests
{
    private const long Now = 1_800_000_000_000;
    private const long Hour = 3_600_000;
    private static readonly TimeSpan Repair = TimeSpan.FromMinutes(30);
    private static readonly PlanMachine Mill = new(1, "mill", 10, new HashSet<string> { "milling" }, Available: true);

    /// <summary>Open 1-2 h and 3-4 h from now, then always from 5 h on.</summary>
    private static readonly WorkingTime TwoSlots = new(Now, [new Interval(Now + Hour, Now + (2 * Hour)), new Interval(Now + (3 * Hour), Now + (4 * Hour))], Now + (5 * Hour));

    [Fact]
    public void Working_time_counts_only_open_time_and_maps_back_to_the_clock()
    {
        Assert.Equal(0, TwoSlots.ToWork(Now - Hour));
        Assert.Equal(Hour / 2, TwoSlots.ToWork(Now + (3 * Hour / 2)));
        Assert.Equal(Hour, TwoSlots.ToWork(Now + (5 * Hour / 2)));
        Assert.Equal(3 * Hour, TwoSlots.ToWork(Now + (6 * Hour)));

        Assert.Equal(Now + Hour, TwoSlots.StartOf(0));
        Assert.Equal(Now + (3 * Hour), TwoSlots.StartOf(Hour));         // work that begins after the first slot waits for the second
        Assert.Equal(Now + (2 * Hour), TwoSlots.EndOf(Hour));           // work that fills the first slot ends at its closing
        Assert.Equal(Now + (11 * Hour / 2), TwoSlots.StartOf(5 * Hour / 2));

        Assert.False(TwoSlots.IsOpen(Now));
        Assert.True(TwoSlots.IsOpen(Now + Hour));
        Assert.False(TwoSlots.IsOpen(Now + (2 * Hour)));
        Assert.True(TwoSlots.IsOpen(Now + (5 * Hour)));
    }

    [Fact]
    public void Around_the_clock_is_the_plain_clock()
    {
        var clock = WorkingTime.AroundTheClock(Now);

        Assert.Equal(Hour, clock.ToWork(Now + Hour));
        Assert.Equal(Now + Hour, clock.StartOf(Hour));
        Assert.Equal(Now + Hour, clock.EndOf(Hour));
        Assert.True(clock.IsOpen(Now));
    }

    [Fact]
    public void A_job_longer_than_the_open_time_today_pauses_overnight_and_its_due_date_counts_working_time()
    {
        // Open for the next hour, closed 16 hours, open 8 hours: a 2-hour job started now ends an hour into tomorrow's shift.
        var site = new WorkingTime(Now, [new Interval(Now, Now + Hour), new Interval(Now + (17 * Hour), Now + (25 * Hour))], Now + (25 * Hour));
        var calendar = new PlanningCalendar(Now, new() { [10] = site }, []);
        var order = new PlanOrder(
            new OrderRow { Id = 1, Number = "SO-1", SiteId = 10, Quantity = 1, DueAt = Now + (20 * Hour), Priority = 5, Status = OrderStatus.Released },
            [new JobRow { Id = 1, OrderId = 1, Seq = 0, Capability = "milling", Status = JobStatus.Waiting, Quantity = 1, UnitMs = 2 * Hour, Operation = "10 mill" }]);

        var builder = new PlanBuilder(Now, [order], [Mill], Repair, calendar);

        Assert.Equal(4 * 3600, builder.Instance!.Jobs[0].Due);                 // 1 h today + 3 h tomorrow before the due time
        var plan = builder.Read(new Schedule([[new ScheduledOperation(0, 0)]]), 0, 7200);
        var job = Assert.Single(plan.Jobs);
        Assert.Equal(Now, job.Start);
        Assert.Equal(Now + (18 * Hour), job.End);
        Assert.Equal(Now + (18 * Hour), plan.Eta[1]);
    }

    [Fact]
    public void A_machines_planned_stop_is_downtime_and_it_is_closed_for_dispatch_meanwhile()
    {
        var stop = new Interval(Now + (10 * 60_000), Now + (20 * 60_000));
        var calendar = new PlanningCalendar(Now, [], new() { [1] = [stop] });
        var order = new PlanOrder(
            new OrderRow { Id = 1, Number = "SO-1", SiteId = 10, Quantity = 1, DueAt = Now + Hour, Priority = 5, Status = OrderStatus.Released },
            [new JobRow { Id = 1, OrderId = 1, Seq = 0, Capability = "milling", Status = JobStatus.Waiting, Quantity = 1, UnitMs = 60_000, Operation = "10 mill" }]);

        var builder = new PlanBuilder(Now, [order], [Mill], Repair, calendar);

        Assert.Equal(new TimeWindow(600, 1200), Assert.Single(builder.Instance!.Downtime[0]));
        Assert.True(calendar.IsOpen(Mill, Now));
        Assert.False(calendar.IsOpen(Mill, stop.Start));
        Assert.True(calendar.IsOpen(Mill, stop.End));
    }
}
