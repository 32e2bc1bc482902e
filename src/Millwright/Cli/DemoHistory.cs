using System.Globalization;
using Millwright.Api;
using Millwright.Features.History;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Security;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;

namespace Millwright.Cli;

/// <summary>
/// <c>demo --history</c>: before the virtual factory goes live, runs its machines through their past on a
/// <see cref="SteppedClock"/> and sends one reading per tag and minute through the platform's own ingest (admission,
/// group commit, then the twin, alarms and the state tracker), stamped with the simulated time, so that states,
/// counts and alarms come out of the same code as live ones. At <see cref="PolicyFraction"/> of the span the plant
/// introduces preventive maintenance (recorded in policy_changes): from then on breakdowns come a third as often,
/// and whatever a KPI board sees change comes out of the simulation. The span is recorded in history_backfills, which
/// is how a query tells history from live data, and why a restarted demo does not write it again. Given the demo's
/// shop, it also writes the orders customers placed over the span, filled from what the machines made
/// (<see cref="DemoHistoryOrders"/>), and the materials those orders used.
/// </summary>
internal sealed class DemoHistory(TelemetryPipeline pipeline, StateTracker states, Sessions sessions, TimeProvider clock)
{
    public const string Source = "demo";

    /// <summary>The source of the history's DeviceMessages, for consumers that want to tell them from live ones.</summary>
    public const string MessageSource = "history";

    public const string PolicyName = "preventive-maintenance";

    public const double PolicyFraction = 0.4;

    /// <summary>How much longer machines run between breakdowns once maintained (mean time between failures × this).</summary>
    public const double MaintenanceFactor = 3;

    /// <summary>The longest history: the telemetry pipeline refuses values older than its late window (7 days).</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(7);

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    // The first minutes are admitted a little after "now" was read; starting a few minutes in keeps them inside the window.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(3);

    /// <summary>"7d", "1d", "2h", "30m" or "none"; null when the text is none of those or longer than <see cref="MaxSpan"/>.</summary>
    public static TimeSpan? ParseSpan(string text)
    {
        if (text == "none")
        {
            return TimeSpan.Zero;
        }

        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        TimeSpan? span = text[^1] switch
        {
            'd' => TimeSpan.FromDays(n),
            'h' => TimeSpan.FromHours(n),
            'm' => TimeSpan.FromMinutes(n),
            _ => null,
        };
        return span is { } s && s >= TimeSpan.FromMinutes(10) && s <= MaxSpan ? s : null;
    }

    /// <summary>
    /// Writes the factory's last <paramref name="span"/>, with orders when <paramref name="shop"/> is given; null (and
    /// nothing written) when the tenant has its demo history already.
    /// </summary>
    public async Task<HistoryResult?> WriteAsync(long tenant, IReadOnlyList<ProvisionedMachine> machines, TimeSpan span, int seed, TextWriter? progress, CancellationToken ct,
        DemoSeed? shop = null)
    {
        var caller = Caller.CommandLine(tenant);
        if (await sessions.RunAsync(caller, s => HistoryBackfills.AnyAsync(s, Source), ct))
        {
            return null;
        }

        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var from = Floor(now - span + (span > Margin * 4 ? Margin : TimeSpan.Zero));
        var policyAt = Floor(from + ((now - from) * PolicyFraction));
        var simulated = new SteppedClock(from);
        var models = new List<(long Id, SimulatedMachine Model, GoodUnits? Output)>();
        for (var i = 0; i < machines.Count; i++)
        {
            var m = machines[i];
            var site = m.Plan.Site == FleetPlan.JobSite ? Provisioner.JobSiteLocation : Provisioner.FactoryLocation;
            models.Add((m.Id, MachineFactory.Create(m.Plan.Kind, m.Name, unchecked((seed * 100_003) + i), simulated, site.Latitude, site.Longitude),
                DemoCatalog.CapabilityOf(m.Plan) is { } capability ? new GoodUnits(capability, StateRuleCatalog.PartsCounterOf(m.Plan.Kind)!) : null));
        }

        var hours = (int)Math.Ceiling((now - from).TotalHours);
        // Orders may run a little past the hours counted now, as the history follows the wall clock.
        var customers = shop is null ? null : new DemoHistoryOrders(from, (int)(now - from).TotalMinutes + 60);
        using var bar = progress is null ? null : new ProgressBar(progress, hours, TimeSpan.FromSeconds(0.5));
        using var hold = states.HoldSweeps();
        long messages = 0, points = 0, refused = 0;
        string? firstRefusal = null;
        var pending = new List<Task>();
        var last = from;
        // Up to the wall clock as it moves on while the history is written, so that live data follows within a minute.
        for (var t = from; t <= clock.GetUtcNow(); t += Step)
        {
            simulated.Set(t);
            last = t;
            if (t == policyAt)
            {
                foreach (var (_, model, _) in models)
                {
                    model.MeanTimeBetweenFailures *= MaintenanceFactor;
                }

                await sessions.RunAsync(caller, s => PolicyChanges.RecordAsync(s, t.ToUnixTimeMilliseconds(), PolicyName,
                    $"Preventive maintenance introduced: every machine is serviced on a schedule, so it runs {MaintenanceFactor:0}× longer between breakdowns"), ct);
            }

            if ((t - from).Ticks % TimeSpan.TicksPerHour == 0)
            {
                // The previous hour must be stored before the next is sent: a store failure stops the history here.
                await Task.WhenAll(pending);
                pending.Clear();
                bar?.Begin(t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            foreach (var (id, model, output) in models)
            {
                model.Tick();
                var snapshot = model.Snapshot();
                if (customers is not null && output is not null)
                {
                    customers.Produced(t, output.Capability, output.Next(snapshot));
                }

                var readings = ReadingsOf(snapshot, t.ToUnixTimeMilliseconds());
                var admission = await pipeline.AdmitAsync(new DeviceMessage(tenant, id, MessageSource, t, readings), null, ct);
                if (admission.Stored is { } stored)
                {
                    pending.Add(stored);
                    messages++;
                    points += readings.Count;
                }
                else
                {
                    refused++;
                    firstRefusal ??= admission.Refusal;
                }
            }
        }

        await Task.WhenAll(pending);
        while (states.Queued > 0)
        {
            // The tracker applies what the pipeline handed it in order; the sweep waits until it is through.
            await Task.Delay(TimeSpan.FromMilliseconds(20), clock, ct);
        }

        bar?.Clear();
        var orders = customers?.Simulate(seed).Where(o => o.Completed <= last).ToList() ?? [];
        if (shop is not null)
        {
            await DemoHistoryOrders.WriteAsync(sessions, tenant, shop, orders, ct);
        }

        await sessions.RunAsync(caller, s => HistoryBackfills.RecordAsync(s, Source, from.ToUnixTimeMilliseconds(), last.ToUnixTimeMilliseconds(), messages, points), ct);
        return new HistoryResult(from, last, policyAt, messages, points, refused, firstRefusal, orders.Count, clock.GetElapsedTime(started));
    }

    private static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static List<Reading> ReadingsOf(IReadOnlyDictionary<string, object> values, long at)
    {
        var readings = new List<Reading>(values.Count);
        foreach (var (tag, value) in values)
        {
            readings.Add(new Reading(tag, at, value switch
            {
                bool b => TagValue.Of(b),
                string s => TagValue.Of(s),
                _ => TagValue.Of(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            }));
        }

        return readings;
    }
}
