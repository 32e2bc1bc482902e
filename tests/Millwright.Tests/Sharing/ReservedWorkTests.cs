using Millwright.Features.Calendars;
using Millwright.Features.Production;
using Millwright.Scheduling.Model;

namespace Millwright.Tests.Sharing;

/// <summary>How sold machine time enters the provider's plan: fixed placements for the reserved order, downtime for the rest.</summary>
public sealed class ReservedWorkTests
{
    private const long Now = 1_800_000_000_000;
    private const long Hour = 3_600_000;

    private static readonly PlanMachine Mill = new(1, "mill", 10, new HashSet<string> { "milling" }, Available: true);

    [Fact]
    public void A_reserved_orders_jobs_fill_its_windows_in_order_pausing_between_them_and_carry_on_after_the_last()
    {
        var reservation = new MachineReservation(7, 1, [new Interval(Now + Hour, Now + (2 * Hour)), new Interval(Now + (3 * Hour), Now + (4 * Hour))]);
        var first = Job(1, 0, quantity: 90, unitMs: 60_000);                  // 1.5 h: the first window and half the second
        var second = Job(2, 1, quantity: 60, unitMs: 60_000, setupMs: 0);    // 1 h: the rest of the second, then 30 min after it

        var (jobs, overflow) = ReservedWork.Lay([first, second], reservation, Now);

        Assert.Equal(new PlannedJob(1, 1, Now + Hour, Now + (3 * Hour) + (Hour / 2)), jobs[0]);
        Assert.Equal(new PlannedJob(2, 1, Now + (3 * Hour) + (Hour / 2), Now + (4 * Hour) + (Hour / 2)), jobs[1]);
        Assert.Equal([new Interval(Now + (4 * Hour), Now + (4 * Hour) + (Hour / 2))], overflow);
    }

    [Fact]
    public void The_planner_places_the_reserved_order_as_booked_and_keeps_everything_else_out_of_the_booked_time()
    {
        var shared = Order(7, Job(1, 0, quantity: 60, unitMs: 60_000));
        var own = Order(8, Job(2, 0, quantity: 120, unitMs: 60_000));
        var reservation = new MachineReservation(7, 1, [new Interval(Now + Hour, Now + (2 * Hour))]);

        var builder = new PlanBuilder(Now, [shared, own], [Mill], TimeSpan.FromMinutes(30), reservations: [reservation]);

        Assert.Equal(new PlannedJob(1, 1, Now + Hour, Now + (2 * Hour)), Assert.Single(builder.Fixed));
        var instance = builder.Instance!;
        Assert.Equal("SO-8", Assert.Single(instance.Jobs).Name);
        Assert.Equal(new TimeWindow(3600, 7200), Assert.Single(instance.Downtime[0]));
        Assert.Equal(Now + (2 * Hour), builder.Read(null, 0, 0).Eta[7]);
    }

    private static PlanOrder Order(long id, params JobRow[] jobs) =>
        new(new OrderRow { Id = id, Number = $"SO-{id}", SiteId = 10, Quantity = 10, DueAt = Now + (8 * Hour), Priority = 5, Status = OrderStatus.Released },
            jobs.Select(j => { j.OrderId = id; return j; }).ToList());

    private static JobRow Job(long id, int seq, long quantity, long unitMs, long setupMs = 0) => new()
    {
        Id = id, Seq = seq, Capability = "milling", Status = JobStatus.Waiting, Quantity = quantity, UnitMs = unitMs, SetupMs = setupMs, Program = "O1",
        Operation = $"{seq} op",
    };
}
