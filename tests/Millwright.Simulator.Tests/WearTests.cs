using Millwright.Simulator.Models;
using Millwright.Simulator.Wear;

namespace Millwright.Simulator.Tests;

/// <summary>The wear model of docs/wear-model.md: indicators follow wear, failures follow from it, repairs and maintenance renew it.</summary>
public sealed class WearTests
{
    public static TheoryData<MachineKind, string> Indicators => new()
    {
        { MachineKind.Cnc, "vibration" },
        { MachineKind.Cnc, "spindle_temperature" },
        { MachineKind.SandPrinter, "clogged_nozzles" },
        { MachineKind.Construction, "hydraulic_pressure" },
    };

    [Theory]
    [MemberData(nameof(Indicators))]
    public void An_indicator_tag_moves_with_wear_while_the_machine_runs(MachineKind kind, string tag)
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(kind, "m", 5, clock);
        var (fresh, worn) = (new List<double>(), new List<double>());
        for (var minute = 0; minute < 40 * 24 * 60 && (fresh.Count < 50 || worn.Count < 50); minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            machine.Tick();
            if (machine.State == MachineState.Running)
            {
                var level = machine.Wear!.Level;
                var value = Convert.ToDouble(machine.Snapshot()[tag], System.Globalization.CultureInfo.InvariantCulture);
                (level < 0.3 ? fresh : level > 0.85 ? worn : []).Add(value);
            }
        }

        Assert.True(fresh.Count >= 50 && worn.Count >= 50, $"{fresh.Count} fresh and {worn.Count} worn readings");
        var shift = worn.Average() - fresh.Average();
        var sign = tag == "hydraulic_pressure" ? -1 : 1;  // a leaking pump loses pressure; the others rise
        Assert.True(sign * shift > 3 * Spread(fresh) / Math.Sqrt(10), $"{tag}: fresh {fresh.Average():0.00}, worn {worn.Average():0.00}");
    }

    [Fact]
    public void Injection_pressure_varies_more_from_shot_to_shot_as_the_check_ring_wears()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.InjectionMoulding, "m", 9, clock);
        var (fresh, worn) = (new List<double>(), new List<double>());
        for (var second = 0; second < 40 * 24 * 3600 && (fresh.Count < 200 || worn.Count < 200); second += 5)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            machine.Tick();
            var pressure = (double)machine.Snapshot()["injection_pressure"];
            if (machine.State == MachineState.Running && pressure > 600)
            {
                (machine.Wear!.Level < 0.3 ? fresh : machine.Wear.Level > 0.85 ? worn : []).Add(pressure);
            }
        }

        Assert.True(Spread(worn) > 2 * Spread(fresh), $"spread fresh {Spread(fresh):0.0} bar, worn {Spread(worn):0.0} bar");
    }

    [Fact]
    public void Worn_parts_fail_around_the_end_of_their_life_and_the_repair_fits_a_new_one()
    {
        var clock = new ManualClock();
        var machines = Enumerable.Range(0, 6).Select(i => MachineFactory.Create(MachineKind.Cnc, $"m-{i}", 200 + i, clock)).ToList();
        var atFailure = new List<double>();
        var renewed = 0;
        foreach (var m in machines)
        {
            m.StateChanged += (machine, from, to) =>
            {
                if (to == MachineState.Down && machine.AlarmCode == 6100)
                {
                    atFailure.Add(machine.Wear!.Level);
                }
                else if (from == MachineState.Down && machine.Wear!.Level == 0)
                {
                    renewed++;
                }
            };
        }

        Tick(clock, machines, TimeSpan.FromDays(40));

        Assert.Equal(machines.Sum(m => m.Wear!.Failures), atFailure.Count);
        Assert.True(atFailure.Count >= 6, $"{atFailure.Count} wear failures");
        Assert.True(renewed >= atFailure.Count - machines.Count(m => m.State == MachineState.Down));
        atFailure.Sort();
        var median = atFailure[atFailure.Count / 2];
        Assert.InRange(median, 0.6, 1.5);
        Assert.True(atFailure[0] > 0.2, $"a part failed at wear {atFailure[0]:0.00}");
    }

    [Fact]
    public void Maintenance_renews_the_part_and_keeps_the_machine_idle_for_its_duration()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Construction, "m", 3, clock);
        while (machine.State == MachineState.Down || machine.Wear!.Level < 0.3)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            machine.Tick();
        }

        Assert.True(machine.Maintain(TimeSpan.FromHours(2)));
        Assert.Equal((0.0, 1, MachineState.Idle, true), (machine.Wear!.Level, machine.Wear.Maintenances, machine.State, machine.InMaintenance));
        Assert.False(machine.Maintain(TimeSpan.FromHours(2)));  // already in maintenance

        Tick(clock, [machine], TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1));
        Assert.Equal((0.0, MachineState.Idle), (machine.Wear.Level, machine.State));
        Tick(clock, [machine], TimeSpan.FromMinutes(2));
        Assert.False(machine.InMaintenance);
    }

    [Fact]
    public void A_part_renewed_during_a_short_repair_holds_the_machine_in_maintenance_for_the_rest_of_the_renewal()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "m", 11, clock);
        // Run until a random stoppage (not the part's own failure) of a part that has worn a little.
        var failures = machine.Wear!.Failures;
        var wasDown = machine.State == MachineState.Down;
        while (wasDown || machine.State != MachineState.Down || machine.Wear.Failures != failures || machine.Wear.Level < 0.05)
        {
            if (machine.State == MachineState.Running)
            {
                Assert.False(machine.MaintainDuringRepair(TimeSpan.FromHours(2))); // only while down
            }

            wasDown = machine.State == MachineState.Down;
            failures = machine.Wear.Failures;
            clock.Advance(TimeSpan.FromMinutes(1));
            machine.Tick();
        }

        var renewedAt = clock.GetUtcNow();
        Assert.True(machine.MaintainDuringRepair(TimeSpan.FromHours(2)));
        Assert.Equal((0.0, 1, MachineState.Down), (machine.Wear.Level, machine.Wear.Maintenances, machine.State));
        Assert.False(machine.MaintainDuringRepair(TimeSpan.FromHours(2))); // once per repair

        // CNC repairs take at most 45 minutes: then idle in maintenance until the renewal's 2 h are over.
        Tick(clock, [machine], TimeSpan.FromMinutes(46));
        Assert.Equal((MachineState.Idle, true), (machine.State, machine.InMaintenance));
        while (machine.InMaintenance)
        {
            Assert.Equal(0.0, machine.Wear.Level);
            Tick(clock, [machine], TimeSpan.FromMinutes(1));
        }

        Assert.InRange(clock.GetUtcNow() - renewedAt, TimeSpan.FromHours(2), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(2));
    }

    [Theory]
    [InlineData("Running")]
    [InlineData("Idle")]
    [InlineData("Setup")]
    [InlineData("Down")]
    public void A_renewal_advised_during_a_stop_is_done_only_while_the_machine_is_still_stopped(string stateName)
    {
        var state = Enum.Parse<MachineState>(stateName); // the enum is internal: a public test takes its name
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "m", 11, clock);
        // The minute the machine enters the state with some wear; down only for a random stoppage (a wear failure's
        // repair renews the part itself).
        var (previous, failures, found) = (machine.State, machine.Wear!.Failures, false);
        for (var minute = 0; minute < 60 * 24 * 60 && !found; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            machine.Tick();
            found = machine.State == state && previous != state && machine.Wear.Failures == failures && machine.Wear.Level >= 0.05 && !machine.InMaintenance;
            (previous, failures) = (machine.State, machine.Wear.Failures);
        }

        Assert.True(found, $"the machine never entered {state} with some wear");

        var renewed = machine.RenewDuringStop(TimeSpan.FromHours(2));

        // Running again when the crew gets to it: left alone, no stop of its own; down: renewed during the repair, still down.
        var expected = state switch
        {
            MachineState.Running => (false, 0, MachineState.Running, false),
            MachineState.Down => (true, 1, MachineState.Down, false),
            _ => (true, 1, MachineState.Idle, true),
        };
        Assert.Equal(expected, (renewed, machine.Wear.Maintenances, machine.State, machine.InMaintenance));
        Assert.Equal(renewed, machine.Wear.Level == 0);
    }

    [Fact]
    public void A_wear_failure_is_not_renewed_during_its_repair_since_the_repair_fits_a_new_part()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.SandPrinter, "p", 4, clock);
        var failures = machine.Wear!.Failures;
        for (var minute = 0; minute < 60 * 24 * 60 && machine.Wear.Failures == failures; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            machine.Tick();
        }

        Assert.Equal((failures + 1, MachineState.Down), (machine.Wear.Failures, machine.State));
        Assert.False(machine.MaintainDuringRepair(TimeSpan.FromHours(2)));
        Assert.Equal(0, machine.Wear.Maintenances);
    }

    [Fact]
    public void The_same_seed_wears_and_fails_the_same_way_however_often_it_is_sampled()
    {
        static (int, double, int) Life(TimeSpan sampleEvery)
        {
            var clock = new ManualClock();
            var machine = MachineFactory.Create(MachineKind.SandPrinter, "p", 77, clock);
            for (var t = TimeSpan.Zero; t < TimeSpan.FromDays(20); t += sampleEvery)
            {
                clock.Advance(sampleEvery);
                machine.Tick();
                machine.Snapshot();
            }

            return (machine.Wear!.Failures, machine.Wear.Level, machine.Breakdowns);
        }

        // 20 days is a whole number of either step, so both runs end at the same moment.
        var everyMinute = Life(TimeSpan.FromMinutes(1));
        Assert.Equal(everyMinute, Life(TimeSpan.FromMinutes(5)));
        Assert.True(everyMinute.Item1 > 0);
    }

    [Fact]
    public void The_hazard_is_scaled_so_that_half_the_parts_fail_before_their_nominal_life()
    {
        var profile = new WearProfile(TimeSpan.FromHours(100), (TimeSpan.FromHours(1), TimeSpan.FromHours(2)), 1);
        var cumulative = profile.HazardAtEnd * profile.NominalLife.TotalHours / (profile.Shape + 1);
        Assert.Equal(Math.Log(2), cumulative, 9);
    }

    private static void Tick(ManualClock clock, List<SimulatedMachine> machines, TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromMinutes(1))
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            machines.ForEach(m => m.Tick());
        }
    }

    private static double Spread(List<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
