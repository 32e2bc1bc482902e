using Millwright.Simulator.Models;

namespace Millwright.Simulator.Tests;

public sealed class ModelTests
{
    public static TheoryData<MachineKind> Kinds => [.. Enum.GetValues<MachineKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Counters_never_go_down_and_every_value_stays_within_its_tag_range(MachineKind kind)
    {
        var clock = new ManualClock();
        var machines = Enumerable.Range(0, 10).Select(i => MachineFactory.Create(kind, $"m-{i}", i, clock)).ToList();
        var previous = machines.Select(m => m.Snapshot()).ToList();

        for (var tick = 0; tick < 2 * 24 * 60; tick++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            for (var i = 0; i < machines.Count; i++)
            {
                machines[i].Tick();
                var now = machines[i].Snapshot();
                foreach (var tag in machines[i].Definition.Tags)
                {
                    var value = now[tag.Name];
                    AssertType(tag, value);
                    if (!tag.IsNumeric)
                    {
                        continue;
                    }

                    var number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    Assert.InRange(number, tag.Min ?? double.MinValue, tag.Max ?? double.MaxValue);
                    if (tag.IsCounter)
                    {
                        Assert.True(number >= Convert.ToDouble(previous[i][tag.Name], System.Globalization.CultureInfo.InvariantCulture),
                            $"{kind} {tag.Name} went down at minute {tick}");
                    }
                }

                previous[i] = now;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Production_counters_move_only_while_the_machine_runs(MachineKind kind)
    {
        // Energy is a counter too, but a machine draws power while idle; engine hours count while the engine runs.
        var production = kind switch
        {
            MachineKind.Cnc => new[] { "part_count", "scrap_count" },
            MachineKind.InjectionMoulding => ["shot_count", "scrap_count"],
            MachineKind.Embroidery => ["stitch_count", "thread_breaks", "colour_changes", "design_count", "scrap_count"],
            MachineKind.SandPrinter => ["layer_count", "build_count", "scrap_count"],
            MachineKind.Cutter => ["cut_length", "pieces_cut", "garment_count", "scrap_count"],
            MachineKind.Sewing => ["seam_length", "garment_count", "scrap_count"],
            MachineKind.Finishing => ["garment_count", "scrap_count"],
            _ => ["engine_hours"],
        };
        var clock = new ManualClock();
        var machine = MachineFactory.Create(kind, "m", 7, clock);
        var before = machine.Snapshot();
        var stateSeen = machine.State;
        var producedAtAll = false;

        for (var tick = 0; tick < 3 * 24 * 3600; tick++)
        {
            // One-second steps, so a step lies within one state (the model slices by a second too).
            clock.Advance(TimeSpan.FromSeconds(1));
            machine.Tick();
            var after = machine.Snapshot();
            foreach (var tag in production)
            {
                var moved = !Equals(before[tag], after[tag]);
                producedAtAll |= moved;
                var productive = kind == MachineKind.Construction
                    ? stateSeen is MachineState.Running or MachineState.Idle || machine.State is MachineState.Running or MachineState.Idle
                    : stateSeen == MachineState.Running || machine.State == MachineState.Running;
                Assert.True(!moved || productive, $"{tag} moved while {stateSeen} -> {machine.State}");
            }

            before = after;
            stateSeen = machine.State;
        }

        Assert.True(producedAtAll, "three days and nothing produced");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Machines_break_down_with_an_alarm_and_are_repaired_within_the_repair_time(MachineKind kind)
    {
        var clock = new ManualClock();
        var machines = Enumerable.Range(0, 20).Select(i => MachineFactory.Create(kind, $"m-{i}", 100 + i, clock)).ToList();
        var downSince = new Dictionary<SimulatedMachine, DateTimeOffset>();
        var repairs = 0;
        var longest = TimeSpan.Zero;
        foreach (var m in machines)
        {
            if (m.State == MachineState.Down)
            {
                // Some start broken down, part-way into their repair.
                Assert.NotEqual(0, m.AlarmCode);
                downSince[m] = clock.GetUtcNow();
            }

            m.StateChanged += (machine, from, to) =>
            {
                if (to == MachineState.Down && machine.AlarmCode == machine.Wear?.Profile.AlarmCode && machine.Wear.Level > 0)
                {
                    // A worn-out part (WearTests): a longer repair than the kind's random stoppages.
                    downSince.Remove(machine);
                }
                else if (to == MachineState.Down)
                {
                    Assert.NotEqual(0, machine.AlarmCode);
                    downSince[machine] = clock.GetUtcNow();
                }
                else if (from == MachineState.Down && downSince.TryGetValue(machine, out var since))
                {
                    Assert.Equal(0, machine.AlarmCode);
                    repairs++;
                    var took = clock.GetUtcNow() - since;
                    longest = took > longest ? took : longest;
                }
            };
        }

        for (var tick = 0; tick < 7 * 24 * 60; tick++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            machines.ForEach(m => m.Tick());
        }

        Assert.True(repairs >= 5, $"only {repairs} repairs in a week over 20 machines");
        Assert.True(longest <= TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1), $"a repair took {longest}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_state_of_the_cycle_is_visited(MachineKind kind)
    {
        var clock = new ManualClock();
        var machines = Enumerable.Range(0, 10).Select(i => MachineFactory.Create(kind, $"m-{i}", i, clock)).ToList();
        var seen = new HashSet<MachineState>();
        for (var tick = 0; tick < 7 * 24 * 60; tick++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            foreach (var m in machines)
            {
                m.Tick();
                seen.Add(m.State);
            }
        }

        Assert.Equal(Enum.GetValues<MachineState>().Order(), seen.Order());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_same_seed_and_clock_replay_the_same_values(MachineKind kind)
    {
        var (a, b) = (Run(kind, 42), Run(kind, 42));
        Assert.Equal(a, b);
        Assert.NotEqual(a, Run(kind, 43));
    }

    private static List<string> Run(MachineKind kind, int seed)
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(kind, "m", seed, clock);
        var trace = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            machine.Tick();
            trace.Add(machine.State + " " + string.Join(",", machine.Snapshot().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        }

        return trace;
    }

    private static void AssertType(TagSpec tag, object value)
    {
        var ok = tag.DataType switch
        {
            "float" => value is double,
            "int" => value is long,
            "bool" => value is bool,
            _ => value is string,
        };
        Assert.True(ok, $"{tag.Name} is {value.GetType().Name}, not {tag.DataType}");
    }

    [Fact]
    public void A_free_running_sand_printer_keeps_printing_on_the_third_day_as_on_the_first()
    {
        // A full job box used to leave the printer "running" with nothing to print, so over a day more and more
        // printers stood with full boxes: the platform saw them idle and the demo board's OEE fell.
        var clock = new ManualClock();
        var printers = Enumerable.Range(0, 10).Select(i => MachineFactory.Create(MachineKind.SandPrinter, $"p-{i}", 40 + i, clock)).ToList();
        var printing = new double[3];
        for (var second = 0; second < 3 * 24 * 3600; second += 10)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            foreach (var printer in printers)
            {
                printer.Tick();
                if (Convert.ToDouble(printer.Snapshot()["power"], System.Globalization.CultureInfo.InvariantCulture) > 10)
                {
                    printing[second / (24 * 3600)] += 10;
                }
            }
        }

        var shares = printing.Select(s => s / (10 * 24 * 3600.0)).ToArray();
        Assert.True(shares[2] > 0.3 && shares[2] > shares[0] * 0.7, $"share of time printing per day: {string.Join(", ", shares.Select(x => x.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
