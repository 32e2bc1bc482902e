using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.Channels;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Learning;
using Millwright.Messages;
using Millwright.Security;

namespace Millwright.Features.Anomalies;

/// <summary>
/// Runs every watched numeric series of every machine through its own detectors: a post-commit observer of
/// telemetry that only queues (the pipeline's consumer does a channel write per message), and a loop that judges
/// each message in the machine's state, as the state tracker decided it for that same message, against that
/// state's baseline. Anomalies are stored, raised and cleared through the alarm writer like any other alarm, and
/// the detectors' learning is saved every <see cref="AnomalyOptions.SaveEvery"/> and at shutdown, and read back
/// per machine on its first message after a start.
/// In cluster mode (<paramref name="ownership"/> given) a machine's detectors are held under the lease token this node
/// read them under: its anomalies, alarms and saves are fenced by that token, and a machine lost (or lost and taken
/// back) is dropped unsaved and read again from the store, where its other owner saved what it learned meanwhile.
/// </summary>
internal sealed partial class AnomalyWatcher(
    Sessions sessions, StateTracker tracker, LatestValues latest, AlarmWriter alarms, AnomalyStateListener states, AnomalyOptions options, TimeProvider clock,
    ILogger<AnomalyWatcher> logger, IMeterFactory meters, IMachineOwnership? ownership = null)
    : BackgroundService, ITelemetryObserver
{
    private readonly Counter<long> _skipped = meters.Create(TelemetryPipeline.MeterName)
        .CreateCounter<long>("millwright.anomalies.skipped", description: "Messages not judged for anomalies because the watcher's queue was full");

    private static readonly TimeSpan ConfigLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(long Tenant, long Machine), MachineWatch> _machines = new();
    private Channel<Queued> _queue = NewQueue(options.QueueCapacity);
    private long _lastSave;
    private long _lastBandFlush;
    private readonly List<(SeriesWatch Series, Reading Reading, string Sensitivity)> _work = [];

    // Messages judged per wait for the state tracker.
    private const int MaxBatch = 512;

    /// <summary>After the state tracker (300), which must have queued a message before this loop waits for its verdict.</summary>
    public int Order => 400;

    public ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return ValueTask.CompletedTask;
        }

        var writer = _queue.Writer;
        // The tracker ran first and has queued the whole batch: once it has applied this many, it has decided every state in it.
        var sequence = tracker.Sequence.Queued;
        foreach (var message in batch)
        {
            if (!HasNumber(message) && !CarriesProgram(message))
            {
                continue;
            }

            if (!writer.TryWrite(new Queued(message, sequence)))
            {
                // Ingest never waits for learning: a watcher that cannot keep up (it waits up to StateWait for the
                // state tracker's verdict on each batch it takes) judges what it can and counts the rest.
                _skipped.Add(1);
            }
        }

        return ValueTask.CompletedTask;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = NewQueue(options.QueueCapacity);
        _lastSave = _lastBandFlush = clock.GetUtcNow().ToUnixTimeMilliseconds();
        states.Changed = SuppressionMayBegin;
        alarms.Fenced += OnFenced;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Judges what is queued, saves every detector that learned, and forgets them: a start after this restores from the store.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        states.Changed = null;
        alarms.Fenced -= OnFenced;
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
        }

        await base.StopAsync(cancellationToken);
        try
        {
            await SaveAsync(cancellationToken);
            await FlushBandsAsync(open: true, cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogError(e, "Saving the anomaly detectors at shutdown failed; they restart from their last periodic save");
        }

        _machines.Clear();
    }

    /// <summary>Settings changed: every machine of the tenant rereads them on its next message.</summary>
    public void Invalidate(long tenant)
    {
        foreach (var machine in _machines.Values.Where(m => m.TenantId == tenant))
        {
            machine.ConfigLoadedAt = long.MinValue;
        }
    }

    /// <summary>Feedback changed a series' discounts in the store; the detector in memory takes them at once.</summary>
    public void FeedbackApplied(long tenant, long machineId, string tag, double[] discounts)
    {
        if (_machines.TryGetValue((tenant, machineId), out var machine))
        {
            lock (machine)
            {
                if (machine.Series.TryGetValue(tag, out var series))
                {
                    discounts.CopyTo(series.Discounts, 0);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<DeviceMessage>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                long upTo = 0;
                while (batch.Count < MaxBatch && reader.TryRead(out var queued))
                {
                    batch.Add(queued.Message);
                    upTo = Math.Max(upTo, queued.Sequence);
                }

                // One wait for the whole batch, so that each message is judged in the state the tracker decided for it.
                // A tracker that does not catch up within StateWait is not waited for: its current view is used.
                await tracker.Sequence.WaitAsync(upTo, options.StateWait, stoppingToken);
                await JudgeAsync(batch, stoppingToken);
                batch.Clear();

                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                if (now - _lastSave >= options.SaveEvery.TotalMilliseconds)
                {
                    await SaveQuietlyAsync(stoppingToken);
                }
                else if (now - _lastBandFlush >= options.BandFlushEvery.TotalMilliseconds)
                {
                    await FlushBandsQuietlyAsync(open: false, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; StopAsync saves what was learned.
        }
    }

    /// <summary>Judges a batch whose states the tracker has decided (the loop's step; tests call it to judge without the queue).</summary>
    internal async Task JudgeAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken ct)
    {
        ForgetLostMachines();
        try
        {
            await PrepareAsync(batch, ct);
        }
        catch (Exception e) when (LoopFaults.Survives(e, ct))
        {
            // Each message below loads what it still lacks on its own.
            logger.LogWarning(e, "Reading the anomaly settings of a batch of {Count} messages failed", batch.Count);
        }

        foreach (var message in batch)
        {
            try
            {
                await ProcessAsync(message, ct);
            }
            catch (Exception e) when (LoopFaults.Survives(e, ct))
            {
                // One bad message must not stop learning for every machine.
                logger.LogError(e, "Anomaly detection failed for a message of machine {Machine}", message.MachineId);
            }
        }
    }

    private async Task ProcessAsync(DeviceMessage message, CancellationToken ct)
    {
        var machine = await MachineAsync(message.TenantId, message.MachineId, ct);
        if (machine is null)
        {
            return;
        }

        var at = message.ReceivedAt.ToUnixTimeMilliseconds();
        var state = tracker.CurrentOf(machine.TenantId, machine.MachineId);
        // The tracker may already be past this message: a state that began after it has Since > at, and fails the
        // settle test below, so a message is judged only in a state that already held when it arrived.
        var context = AnomalyVocabulary.ContextOf(state?.State);
        if (AnomalyVocabulary.Suppresses(state?.State))
        {
            // The state change itself is heard by SuppressionMayBegin; this covers alarms read back after a restart,
            // and a set-up that began before the machine's first message since start.
            SuppressionMayBegin(machine.TenantId, state!);
        }

        var program = ProgramOf(machine, message);
        if (context is null || (state is not null && at - state.Since.ToUnixTimeMilliseconds() < options.Settle.TotalMilliseconds))
        {
            return; // suppressed in this state, or a transient just after a change
        }

        long? setUp;
        lock (machine)
        {
            setUp = machine.LastSetUp;
        }

        context = machine.ContextOf(context, program, setUp);

        var work = await WatchedReadingsAsync(machine, message, ct);
        if (work is null)
        {
            return;
        }

        var findings = new List<Finding>();
        lock (machine)
        {
            foreach (var (series, reading, sensitivity) in work)
            {
                if (Judge(series, context, reading, sensitivity) is { } finding)
                {
                    findings.Add(finding with { Context = context });
                }
            }
        }

        foreach (var finding in findings)
        {
            await ReportAsync(machine, finding, Math.Min(at, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        }
    }

    /// <summary>Scores and learns one reading; returns what to raise or clear, if anything. Called under the machine's lock.</summary>
    private Finding? Judge(SeriesWatch series, string context, Reading reading, string sensitivity)
    {
        var detector = series.For(context);
        var verdict = detector.Detector.Observe(reading.Timestamp, reading.Value.Number);
        if (verdict.Status == ReadingStatus.NotFinite)
        {
            return null;
        }

        detector.Dirty |= verdict.Status != ReadingStatus.OutOfOrder;
        var score = AnomalyJudge.Adjust(verdict.Score, series.Discount(verdict.Cause));
        (detector.LastScore, detector.LastValue, detector.LastAt) = (score, reading.Value.Number, reading.Timestamp);
        if (double.IsFinite(verdict.ExpectedLow))
        {
            (detector.ExpectedLow, detector.ExpectedHigh) = (verdict.ExpectedLow, verdict.ExpectedHigh);
        }

        // The band shows only what a warmed-up detector expected of a reading it learned from.
        if (verdict.Status == ReadingStatus.Learned && double.IsFinite(verdict.ExpectedLow) && double.IsFinite(verdict.ExpectedHigh))
        {
            series.RecordBand(reading.Timestamp, context, verdict.ExpectedLow, verdict.ExpectedHigh, score);
        }

        if (score >= AnomalyJudge.RaiseAt(sensitivity))
        {
            series.Quiet = 0;
            return new Finding(series, reading, verdict, score, Raise: true, "");
        }

        // The detector reports a lasting change once, at its start, so an alarm returns to normal (and waits for its
        // acknowledgement as rtn_unack) after a run of ordinary scores, not when the episode's peak has decayed.
        if (series.AlarmOpen && ++series.Quiet >= options.ClearAfter)
        {
            return new Finding(series, reading, verdict, score, Raise: false, "");
        }

        return null;
    }

    private async Task ReportAsync(MachineWatch machine, Finding f, long at, CancellationToken ct)
    {
        var tag = f.Series.Tag;
        var value = f.Reading.Value.Number;
        if (!f.Raise)
        {
            if (alarms.TryEnqueue(new AlarmTransition(TransitionKind.Clear, AnomalyAlarm.Rule(machine, f.Series, f.Context, ""), machine.TenantId, machine.MachineId, f.Reading.Value.ToString(), at, machine.Token)))
            {
                f.Series.AlarmOpen = false;
            }

            return;
        }

        var since = f.Verdict.SinceMs > 0 ? f.Verdict.SinceMs : f.Reading.Timestamp;
        var explanation = AnomalyExplanation.Text(tag, f.Context, value, f.Verdict, f.Verdict.Rarity, since);
        var refusal = await sessions.RunAsync(System(machine.TenantId), async s =>
        {
            if (await ownership.RefusalAsync(s, machine.MachineId, machine.Token) is { } reason)
            {
                return reason;
            }

            await AnomalyStore.InsertAsync(s, new AnomalyRow
            {
                SeriesId = f.Series.Id, MachineId = machine.MachineId, Tag = tag, Context = f.Context, At = f.Reading.Timestamp, Value = value,
                Score = f.Score, RawScore = f.Verdict.Score, Rarity = Math.Min(f.Verdict.Rarity, 1e300), Cause = AnomalyVocabulary.Name(f.Verdict.Cause),
                ExpectedLow = f.Verdict.ExpectedLow, ExpectedHigh = f.Verdict.ExpectedHigh, SinceAt = since, Explanation = explanation,
            });
            return null;
        }, ct);
        if (refusal is not null)
        {
            Drop(machine, refusal);
            return;
        }

        if (alarms.TryEnqueue(new AlarmTransition(TransitionKind.Raise, AnomalyAlarm.Rule(machine, f.Series, f.Context, explanation), machine.TenantId, machine.MachineId, f.Reading.Value.ToString(), at, machine.Token)))
        {
            f.Series.AlarmOpen = true;
        }
    }

    /// <summary>
    /// A machine entered a state; setup and planned stop end its open anomaly alarms, and a set-up starts the baseline
    /// of a machine without a program tag anew. Called on the tracker's loop: only queues.
    /// </summary>
    private void SuppressionMayBegin(long tenant, CurrentState current)
    {
        if (!_machines.TryGetValue((tenant, current.MachineId), out var machine))
        {
            return;
        }

        if (current.State == MachineStateNames.Setup)
        {
            lock (machine)
            {
                machine.LastSetUp = Math.Max(machine.LastSetUp ?? long.MinValue, current.Since.ToUnixTimeMilliseconds());
            }
        }

        if (AnomalyVocabulary.Suppresses(current.State))
        {
            EndOpenAlarms(machine, current.State, current.Since.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>
    /// Every open anomaly alarm of the machine returns to normal (ISA-18.2: rtn_unack until acknowledged, closed if it
    /// was), through the alarm writer like any clear: anomalies are suppressed from here on, so nothing would end them.
    /// </summary>
    private void EndOpenAlarms(MachineWatch machine, string state, long at)
    {
        lock (machine)
        {
            foreach (var series in machine.Series.Values.Where(s => s.AlarmOpen))
            {
                var last = series.Contexts.Values.Where(c => c.LastAt is not null).MaxBy(c => c.LastAt)?.LastValue;
                var value = last?.ToString("R", CultureInfo.InvariantCulture);
                if (alarms.TryEnqueue(new AlarmTransition(TransitionKind.Clear, AnomalyAlarm.Rule(machine, series, state, ""), machine.TenantId, machine.MachineId, value, at, machine.Token)))
                {
                    series.AlarmOpen = false;
                    series.Quiet = 0;
                }
            }
        }
    }

    /// <summary>The message's numeric readings of watched tags, with their series (made on first sight), or null when there are none.</summary>
    private async Task<List<(SeriesWatch Series, Reading Reading, string Sensitivity)>?> WatchedReadingsAsync(MachineWatch machine, DeviceMessage message, CancellationToken ct)
    {
        // One list for every message: the loop judges one message at a time, and a list per message of a few hundred
        // tags was this watcher's largest allocation.
        var work = _work;
        work.Clear();
        foreach (var reading in message.Readings)
        {
            if (reading.Value.Kind != TagValueKind.Number)
            {
                continue;
            }

            WatchedTag? watched;
            SeriesWatch? series;
            lock (machine)
            {
                if (!machine.Watched.TryGetValue(reading.Tag, out watched))
                {
                    continue;
                }

                machine.Series.TryGetValue(reading.Tag, out series);
            }

            if (series is null)
            {
                series = await AddSeriesAsync(machine, reading.Tag, ct);
                if (series is null)
                {
                    return null; // the machine was deleted
                }
            }

            work.Add((series, reading, watched.Sensitivity));
        }

        return work.Count > 0 ? work : null;
    }

    /// <summary>
    /// Stores the series on first sight (normally done for the whole batch by <see cref="PrepareAsync"/>). Apart from
    /// the loop above so that its lambda captures no loop variable: a capture there made a closure for every reading.
    /// </summary>
    private async Task<SeriesWatch?> AddSeriesAsync(MachineWatch machine, string tag, CancellationToken ct)
    {
        var id = await sessions.RunAsync(System(machine.TenantId), s => AnomalyStore.EnsureSeriesAsync(s, machine.MachineId, tag), ct);
        return id is null ? null : AddSeries(machine, tag, id.Value);
    }

    private async Task<MachineWatch?> MachineAsync(long tenant, long machineId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!Holds(tenant, machineId, out var token))
        {
            return null; // changing hands: its owner judges it
        }

        _machines.TryGetValue((tenant, machineId), out var machine);
        if (machine is not null && !machine.ConfigDue(now, ConfigLifetime))
        {
            return machine;
        }

        var loaded = await sessions.RunAsync(System(tenant), s => AnomalyRestore.LoadAsync(s, machineId, fresh: machine is null), ct);
        return Remember(tenant, machineId, loaded, now, token);
    }

    private static Caller System(long tenant) => new(0, "anomaly detector", tenant, Role.Operator);

    private static bool HasNumber(DeviceMessage message)
    {
        foreach (var reading in message.Readings)
        {
            if (reading.Value.Kind == TagValueKind.Number)
            {
                return true;
            }
        }

        return false;
    }

    private static Channel<Queued> NewQueue(int capacity) =>
        Channel.CreateBounded<Queued>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    /// <summary>A committed message and the tracker's queued count once its batch was queued.</summary>
    private readonly record struct Queued(DeviceMessage Message, long Sequence);

    private sealed record Finding(SeriesWatch Series, Reading Reading, AnomalyVerdict Verdict, double Score, bool Raise, string Context);
}
