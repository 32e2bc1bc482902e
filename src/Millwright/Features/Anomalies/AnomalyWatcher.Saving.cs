using System.Data.Common;
using Millwright.Features.Telemetry;
using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>The watcher's in-memory view for the API, and the periodic save of what the detectors learned.</summary>
internal sealed partial class AnomalyWatcher
{
    /// <summary>What each series of the machine has learned and last said; empty until the machine's first message since start.</summary>
    public IReadOnlyList<SeriesStatusDto> Status(long tenant, long machineId)
    {
        if (!_machines.TryGetValue((tenant, machineId), out var machine))
        {
            return [];
        }

        lock (machine)
        {
            return [.. machine.Series.Values.OrderBy(s => s.Tag, StringComparer.Ordinal).Select(s => new SeriesStatusDto(
                s.Tag, machine.Watched.TryGetValue(s.Tag, out var w) ? w.Sensitivity : "not watched", s.AlarmOpen,
                Enum.GetValues<AnomalyCause>().Where(c => c != AnomalyCause.None).ToDictionary(AnomalyVocabulary.Name, s.Discount),
                [.. s.Contexts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new SeriesContextDto(c.Key, c.Value.Detector.Learned, c.Value.LastScore,
                    c.Value.LastValue, c.Value.LastAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, c.Value.ExpectedLow, c.Value.ExpectedHigh))]))];
        }
    }

    /// <summary>The minutes of the series' band still in memory (not yet stored), oldest first.</summary>
    public IReadOnlyList<AnomalyBand> UnsavedBand(long tenant, long machineId, string tag)
    {
        if (!_machines.TryGetValue((tenant, machineId), out var machine))
        {
            return [];
        }

        lock (machine)
        {
            if (!machine.Series.TryGetValue(tag, out var series))
            {
                return [];
            }

            // Copies: the loop goes on changing the open minute after the lock is released.
            return [.. series.ClosedBands.Select(b => b.Copy()), .. series.OpenBand is { } open ? [open.Copy()] : Array.Empty<AnomalyBand>()];
        }
    }

    private async Task SaveQuietlyAsync(CancellationToken ct)
    {
        try
        {
            await SaveAsync(ct);
            await FlushBandsAsync(open: false, ct);
            var before = _lastSave - (long)options.BandRetention.TotalMilliseconds;
            foreach (var tenant in _machines.Keys.Select(k => k.Tenant).Distinct())
            {
                await sessions.RunAsync(System(tenant), s => AnomalyStore.ForgetBandsAsync(s, before), ct);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "Saving the anomaly detectors failed; retrying at the next save");
        }
    }

    private async Task FlushBandsQuietlyAsync(bool open, CancellationToken ct)
    {
        try
        {
            await FlushBandsAsync(open, ct);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The band is a picture of what was expected, not a record anything depends on: a failed write loses
            // those minutes from the chart rather than holding memory for a store that may stay away.
            logger.LogWarning(e, "Writing the anomaly band failed; those minutes are missing from the chart");
        }
    }

    /// <summary>Writes every finished minute of every series' band (and the open ones when <paramref name="open"/>), one transaction per tenant.</summary>
    private async Task FlushBandsAsync(bool open, CancellationToken ct)
    {
        _lastBandFlush = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var tenant in _machines.Values.GroupBy(m => m.TenantId))
        {
            var taken = new List<AnomalyBand>();
            foreach (var machine in tenant)
            {
                lock (machine)
                {
                    foreach (var series in machine.Series.Values)
                    {
                        taken.AddRange(series.TakeBands(open));
                    }
                }
            }

            if (taken.Count > 0)
            {
                await sessions.RunAsync(System(tenant.Key), s => AnomalyStore.SaveBandsAsync(s, taken), ct);
            }
        }
    }

    /// <summary>Saves what every detector learned since its last save (the periodic step; tests call it to save at once).</summary>
    internal async Task SaveAsync(CancellationToken ct)
    {
        _lastSave = clock.GetUtcNow().ToUnixTimeMilliseconds();
        ForgetLostMachines();
        foreach (var tenant in _machines.Values.GroupBy(m => m.TenantId))
        {
            var taken = new List<(MachineWatch Machine, ContextDetector Detector, AnomalyStore.SavedDetector Saved)>();
            var evicted = new List<(MachineWatch Machine, SeriesWatch Series, string Context)>();
            foreach (var machine in tenant)
            {
                lock (machine)
                {
                    foreach (var series in machine.Series.Values)
                    {
                        foreach (var (context, detector) in series.Contexts.Where(c => c.Value.Dirty))
                        {
                            taken.Add((machine, detector, new AnomalyStore.SavedDetector(series.Id, context, DetectorState.Save(detector.Detector), detector.Detector.Learned)));
                            detector.Dirty = false;
                        }

                        evicted.AddRange(series.Evicted.Select(c => (machine, series, c)));
                        series.Evicted.Clear();
                    }
                }
            }

            if (taken.Count == 0 && evicted.Count == 0)
            {
                continue;
            }

            var refused = new Dictionary<MachineWatch, string>();
            try
            {
                await sessions.RunAsync(System(tenant.Key), async s =>
                {
                    // Cluster mode: only machines the store still names this node the owner of, under the token their
                    // detectors were read under; a paused old owner must not overwrite (or delete) what the new owner saved.
                    if (ownership is not null)
                    {
                        foreach (var machine in taken.Select(t => t.Machine).Concat(evicted.Select(e => e.Machine)).Distinct())
                        {
                            if (await ownership.RefusalAsync(s, machine.MachineId, machine.Token) is { } reason)
                            {
                                refused[machine] = reason;
                            }
                        }
                    }

                    await AnomalyStore.ForgetDetectorsAsync(s, evicted.Where(e => !refused.ContainsKey(e.Machine)).Select(e => (e.Series.Id, e.Context)));
                    await AnomalyStore.SaveAsync(s, taken.Where(t => !refused.ContainsKey(t.Machine)).Select(t => t.Saved));
                    return taken.Count;
                }, ct);
            }
            catch
            {
                foreach (var (_, detector, _) in taken)
                {
                    detector.Dirty = true;
                }

                foreach (var (machine, series, context) in evicted)
                {
                    lock (machine)
                    {
                        // Deleted at the next save instead, unless the context came back meanwhile.
                        if (!series.Contexts.ContainsKey(context))
                        {
                            series.Evicted.Add(context);
                        }
                    }
                }

                throw;
            }

            foreach (var (machine, reason) in refused)
            {
                Drop(machine, reason);
            }
        }
    }
}
