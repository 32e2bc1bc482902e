using System.Collections.Concurrent;
using Dapper;
using Millwright.Features.Telemetry;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Storage;

namespace Millwright.Features.Alarms;

/// <summary>
/// Evaluates alarm rules against every committed <see cref="DeviceMessage"/> (a post-commit observer, called on
/// the telemetry pipeline's single consumer) and, once a second on the injected clock, the rules that fire on time passing (duration,
/// missing data). It holds each tenant's rules in memory, reloaded after every rule change; a reading costs a
/// lookup by machine and one by tag, and a transition is a TryWrite into the <see cref="AlarmWriter"/>'s queue.
/// In cluster mode (<paramref name="ownership"/> given) it evaluates only the machines this node owns, and takes each
/// machine's alarm states from the store when it gains the machine: the previous owner may have raised or cleared
/// them meanwhile, and a transition this node queued while it was losing the machine may have been fenced out.
/// </summary>
internal sealed class AlarmEngine(IDatabase database, AlarmWriter writer, TimeProvider clock, ILogger<AlarmEngine> logger, IMachineOwnership? ownership = null)
    : IHostedService, IDisposable, ITelemetryObserver
{
    public const string MeterName = "Millwright.Alarms";
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, RuleIndex> _tenants = new();
    private readonly ConcurrentDictionary<long, byte> _pendingReloads = new();
    // Never disposed: a reload or resync on the thread pool may still release it after Dispose (it holds no wait
    // handle, so there is nothing to free); _disposed keeps new ones from starting.
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private ITimer? _timer;
    private volatile bool _disposed;

    // Cluster mode: the machines whose states were last taken from the store, with the lease token they were owned
    // under then, and the ownership version they match.
    private IReadOnlyDictionary<long, long> _owned = new Dictionary<long, long>();
    private long _ownedVersion = long.MinValue;
    private int _resyncing;

    public int Order => 200;

    public ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            Observe(message);
        }

        return ValueTask.CompletedTask;
    }

    public void Observe(DeviceMessage message)
    {
        if (!_tenants.TryGetValue(message.TenantId, out var index))
        {
            return;
        }

        if (!index.ByMachine.TryGetValue(message.MachineId, out var tags))
        {
            if (index.HasTypeRules && !index.KnownMachines.Contains(message.MachineId))
            {
                RequestReload(message.TenantId); // a machine added since the last load may be of a watched type
            }

            return;
        }

        if (!Evaluates(message.MachineId, out var token))
        {
            return;
        }

        // The message's own time, not the clock's: live they are the same instant, and history written after the
        // fact (demo --history) raises and clears its alarms when they happened.
        var now = Math.Min(message.ReceivedAt.ToUnixTimeMilliseconds(), clock.GetUtcNow().ToUnixTimeMilliseconds());
        var readings = message.Readings;
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i];
            if (!tags.TryGetValue(reading.Tag, out var bindings))
            {
                continue;
            }

            foreach (var binding in bindings)
            {
                lock (binding.State)
                {
                    Hand(binding, binding.State.Observe(binding.Rule, reading, now), now, token);
                }
            }
        }
    }

    /// <summary>Whether the tenant has enabled rules (a tenant without any has nothing to reload).</summary>
    public bool Watches(long tenant) => _tenants.ContainsKey(tenant);

    /// <summary>Rereads one tenant's enabled rules and machines; the API awaits it after each rule change.</summary>
    public async Task ReloadAsync(long tenant, CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var rules = (await connection.QueryAsync<AlarmRuleRow>(new CommandDefinition(
                $"SELECT {AlarmRules.Columns} FROM alarm_rules WHERE tenant_id = @tenant AND enabled = TRUE", new { tenant }, cancellationToken: cancellationToken))).ToList();
            if (rules.Count == 0)
            {
                _tenants.TryRemove(tenant, out _);
                return;
            }

            var machines = (await connection.QueryAsync<(long Id, long TypeId)>(new CommandDefinition(
                "SELECT id, type_id FROM machines WHERE tenant_id = @tenant", new { tenant }, cancellationToken: cancellationToken))).ToList();
            var open = (await connection.QueryAsync<(long RuleId, long MachineId)>(new CommandDefinition(
                "SELECT rule_id, machine_id FROM alarms WHERE tenant_id = @tenant AND state <> 'closed' AND condition_active = TRUE", new { tenant },
                cancellationToken: cancellationToken))).ToHashSet();
            var compiled = rules.Select(CompiledRule.From).ToList();
            var scope = new List<(long, long)>();
            foreach (var rule in rules)
            {
                scope.AddRange(rule.MachineId is { } machine
                    ? machines.Where(m => m.Id == machine).Select(m => (rule.Id, m.Id))
                    : machines.Where(m => m.TypeId == rule.MachineTypeId).Select(m => (rule.Id, m.Id)));
            }

            var old = _tenants.TryGetValue(tenant, out var previous) ? previous : null;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var index = RuleIndex.Build(compiled, scope, machines.Select(m => m.Id).ToHashSet(), rules.Any(r => r.MachineTypeId is not null),
                (rule, machine) => StateFor(old, rule, machine, now, open.Contains((rule.Id, machine))));
            _tenants[tenant] = index;
            Interlocked.Exchange(ref _ownedVersion, long.MinValue); // new machines in scope: the next tick takes them in

        }
        finally
        {
            _reloadGate.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<long> tenants;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            tenants = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT DISTINCT tenant_id FROM alarm_rules WHERE enabled = TRUE", cancellationToken: cancellationToken))).AsList();
        }

        foreach (var tenant in tenants)
        {
            await ReloadAsync(tenant, cancellationToken);
        }

        _timer = clock.CreateTimer(_ => Tick(), null, TickPeriod, TickPeriod);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
    }

    private void Tick()
    {
        if (ownership is not null && ownership.Version != Interlocked.Read(ref _ownedVersion))
        {
            RequestResync();
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var index in _tenants.Values)
        {
            foreach (var binding in index.Timed)
            {
                if (!Evaluates(binding.MachineId, out var token))
                {
                    continue;
                }

                lock (binding.State)
                {
                    Hand(binding, binding.State.Tick(binding.Rule, now), now, token);
                }
            }
        }

        writer.OnTick(now);
    }

    /// <summary>
    /// A single node evaluates every machine; a cluster node only those it owns and has taken the states of, under
    /// <paramref name="token"/>, the lease token its transitions carry (null on a single node).
    /// </summary>
    private bool Evaluates(long machineId, out long? token)
    {
        token = null;
        if (ownership is null)
        {
            return true;
        }

        if (Volatile.Read(ref _owned).TryGetValue(machineId, out var taken) && ownership.TokenOf(machineId) == taken)
        {
            token = taken;
            return true;
        }

        return false;
    }

    private void RequestResync()
    {
        if (_disposed || Interlocked.Exchange(ref _resyncing, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await ResyncOwnedAsync(CancellationToken.None);
            }
            catch (Exception e) when (LoopFaults.Survives(e, CancellationToken.None))
            {
                logger.LogWarning(e, "Taking the alarm states of newly owned machines from the store failed; the next tick tries again");
            }
            finally
            {
                Volatile.Write(ref _resyncing, 0);
            }
        });
    }

    /// <summary>
    /// Cluster mode: for every machine this node owns now but did not at the last resync, or owned under another lease
    /// token (lost and taken back in between), sets each binding's condition from the store's open alarms and restarts
    /// its timers (missing data counts from the take-over, not from before).
    /// </summary>
    internal async Task ResyncOwnedAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            if (_disposed)
            {
                return;
            }

            var version = ownership!.Version;
            var before = Volatile.Read(ref _owned);
            var owned = new Dictionary<long, long>();
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (tenant, index) in _tenants)
            {
                var gained = new List<long>();
                foreach (var machine in index.ByMachine.Keys)
                {
                    if (ownership.TokenOf(machine) is not { } token)
                    {
                        continue;
                    }

                    owned[machine] = token;
                    if (!before.TryGetValue(machine, out var was) || was != token)
                    {
                        gained.Add(machine);
                    }
                }

                if (gained.Count == 0)
                {
                    continue;
                }

                await using var connection = await database.OpenAsync(cancellationToken);
                var open = (await connection.QueryAsync<(long RuleId, long MachineId)>(new CommandDefinition(
                    "SELECT rule_id, machine_id FROM alarms WHERE tenant_id = @tenant AND state <> 'closed' AND condition_active = TRUE", new { tenant },
                    cancellationToken: cancellationToken))).ToHashSet();
                foreach (var binding in gained.SelectMany(m => index.ByMachine[m].Values.SelectMany(b => b)))
                {
                    lock (binding.State)
                    {
                        binding.State.Active = open.Contains((binding.Rule.Id, binding.MachineId));
                        binding.State.Reset(binding.State.Version, now);
                    }
                }
            }

            Volatile.Write(ref _owned, owned);
            Interlocked.Exchange(ref _ownedVersion, version); // a reload waits for the gate, so none came between
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>
    /// Called under the state's lock: the state flips only if the writer took the transition. The transition carries
    /// the token the state was taken from the store under, so a machine lost and taken back before the writer gets to
    /// it refuses it (the state it was decided from is stale; the resync under the new token reads the store again).
    /// </summary>
    private void Hand(RuleBinding binding, TransitionKind? transition, long now, long? token)
    {
        if (transition is { } kind
            && writer.TryEnqueue(new AlarmTransition(kind, binding.Rule, binding.Rule.TenantId, binding.MachineId, binding.State.LastValue, now, token)))
        {
            binding.State.Active = kind == TransitionKind.Raise;
        }
    }

    /// <summary>A machine keeps its condition state across reloads; a changed rule starts its timers and rate afresh.</summary>
    private static ConditionState StateFor(RuleIndex? old, CompiledRule rule, long machine, long now, bool openInStore)
    {
        var existing = old is not null && old.ByMachine.TryGetValue(machine, out var tags)
            ? tags.Values.SelectMany(b => b).FirstOrDefault(b => b.Rule.Id == rule.Id)?.State
            : null;
        if (existing is null)
        {
            return new ConditionState(rule.Version, now) { Active = openInStore };
        }

        lock (existing)
        {
            if (existing.Version != rule.Version)
            {
                existing.Reset(rule.Version, now);
            }
        }

        return existing;
    }

    private void RequestReload(long tenant)
    {
        if (_disposed || !_pendingReloads.TryAdd(tenant, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await ReloadAsync(tenant);
            }
            catch (Exception e) when (LoopFaults.Survives(e, CancellationToken.None))
            {
                logger.LogWarning(e, "Reloading the alarm rules of tenant {Tenant} failed", tenant);
            }
            finally
            {
                _pendingReloads.TryRemove(tenant, out _);
            }
        });
    }
}
