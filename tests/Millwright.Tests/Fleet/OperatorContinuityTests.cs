using Millwright.Features.Fleet;

namespace Millwright.Tests.Fleet;

/// <summary>Requests keep their operators across a re-plan where the new plan allows, without changing machines or breaking an operator's limits.</summary>
public sealed class OperatorContinuityTests
{
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    [Fact]
    public void A_free_previous_operator_is_taken_back_and_a_held_one_is_swapped_when_both_can_drive()
    {
        var requests = new[] { Request(1, 0, 3), Request(2, 1, 4), Request(3, 10, 12) };
        var crew = new[] { Driver(10), Driver(11), Driver(12) };
        var solved = new[] { Assigned(1, 100, 11), Assigned(2, 101, 10), Assigned(3, 102, 10) };

        var kept = OperatorContinuity.Keep(solved, requests, crew, new Dictionary<long, long> { [1] = 10, [2] = 11, [3] = 12 });

        Assert.Equal([10L, 11L, 12L], kept.Select(a => a.OperatorId!.Value));
        Assert.Equal(solved.Select(a => a.MachineId), kept.Select(a => a.MachineId));
    }

    [Fact]
    public void An_operator_who_cannot_drive_the_request_is_not_given_it_back()
    {
        var requests = new[] { Request(1, 0, 3) };
        var crew = new[] { Driver(10, away: new TimeWindow(Day, 2 * Day)), Driver(11) };

        var kept = OperatorContinuity.Keep([Assigned(1, 100, 11)], requests, crew, new Dictionary<long, long> { [1] = 10 });

        Assert.Equal(11, kept[0].OperatorId);
    }

    [Fact]
    public void Random_re_plans_keep_machines_and_every_operators_licence_absence_and_single_booking()
    {
        var random = new Random(17);
        for (var run = 0; run < 500; run++)
        {
            var requests = Enumerable.Range(1, random.Next(1, 7)).Select(i => { var from = random.Next(0, 8); return Request(i, from, from + random.Next(1, 4)); }).ToList();
            var crew = Enumerable.Range(10, random.Next(1, 6)).Select(o => random.Next(4) == 0 ? Driver(o, away: new TimeWindow(random.Next(0, 8) * Day, random.Next(8, 12) * Day)) : Driver(o)).ToList();
            // A feasible labelling to start from, built first-fit, as the solver's would be one of many.
            var solved = new List<Assignment>();
            foreach (var r in requests)
            {
                if (crew.FirstOrDefault(o => o.CanDrive(r) && !solved.Any(a => a.OperatorId == o.Id && requests[(int)a.RequestId - 1].Overlaps(r))) is { } free)
                {
                    solved.Add(Assigned(r.Id, 100 + r.Id, free.Id));
                }
            }

            var previous = requests.Where(_ => random.Next(3) > 0).ToDictionary(r => r.Id, _ => crew[random.Next(crew.Count)].Id);

            var kept = OperatorContinuity.Keep(solved, requests, crew, previous);

            Assert.Equal(solved.Select(a => (a.RequestId, a.MachineId)), kept.Select(a => (a.RequestId, a.MachineId)));
            foreach (var a in kept)
            {
                var r = requests[(int)a.RequestId - 1];
                Assert.True(crew.Single(o => o.Id == a.OperatorId).CanDrive(r), $"run {run}: operator {a.OperatorId} cannot drive request {r.Id}");
                Assert.DoesNotContain(kept, b => b.RequestId != a.RequestId && b.OperatorId == a.OperatorId && requests[(int)b.RequestId - 1].Overlaps(r));
            }

            // Never fewer requests on their previous operator than before.
            Assert.True(kept.Count(a => previous.TryGetValue(a.RequestId, out var o) && o == a.OperatorId)
                >= solved.Count(a => previous.TryGetValue(a.RequestId, out var o) && o == a.OperatorId), $"run {run}");
        }
    }

    private static SiteRequest Request(long id, long fromDay, long toDay) =>
        new(id, "excavator", new Dictionary<string, double>(), 52, 13, fromDay * Day, toDay * Day);

    private static FleetOperator Driver(long id, TimeWindow? away = null) =>
        new(id, $"driver-{id}", [new OperatorLicence("excavator", 0, 100 * Day)], away is { } w ? [w] : []);

    private static Assignment Assigned(long request, long machine, long operatorId) => new(request, machine, 10, 30, 250, OperatorId: operatorId);
}
