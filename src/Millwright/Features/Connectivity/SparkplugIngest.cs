using System.Collections.Concurrent;
using Dapper;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Mqtt;
using Millwright.Mqtt.Server;
using Millwright.Security;
using Millwright.Sparkplug;
using Millwright.Storage;

namespace Millwright.Features.Connectivity;

/// <summary>
/// The platform as a Sparkplug B host application. Group id is the tenant's slug, the edge node is the
/// machine that logged in, and a device under it names another machine of the same tenant (a gateway).
/// Births, deaths and data become link states and <see cref="DeviceMessage"/>s; a node the host lost
/// track of is asked to rebirth with an NCMD. Births record where each machine is commanded
/// (<see cref="SparkplugAddresses"/>); <c>Answer/*</c> metrics in NDATA/DDATA are its answers to commands and go to
/// the machine-command port, not into telemetry (docs/sparkplug.md, "Commands").
/// </summary>
internal sealed class SparkplugIngest(IDatabase database, TelemetryPipeline pipeline, MachineConnectivity connectivity, TimeProvider clock, IServiceProvider services, AccessChanges access,
    SparkplugSettings settings, SparkplugRefusals refusals, SparkplugAddresses addresses, MachineCommandPort commands)
    : IDisposable
{
    /// <summary>
    /// How long a machine name → id lookup is trusted. Renames and deletions made through this node forget a
    /// tenant's lookups at once (<see cref="AccessChanges"/>); others show up within this time.
    /// </summary>
    private static readonly TimeSpan NameCacheLife = TimeSpan.FromMinutes(1);

    // SparkplugHost is single-threaded by design; messages of one node arrive on one connection anyway.
    private readonly SparkplugHost _host = new(clock);
    private readonly Lock _hostLock = new();
    private readonly ConcurrentDictionary<(long Tenant, string Name), (long? Id, DateTimeOffset At)> _machineIds = new();

    private IDisposable? _forgetOnChange;

    public void Dispose() => _forgetOnChange?.Dispose();

    /// <summary>Forgets the lookups of every tenant a committed change touched; called once, by the module.</summary>
    public void ForgetOnChange() => _forgetOnChange ??= access.Listen(changes =>
    {
        foreach (var key in _machineIds.Keys)
        {
            if (changes.Any(c => c.TenantId == key.Tenant))
            {
                _machineIds.TryRemove(key, out _);
            }
        }
    });

    public async ValueTask<PublishVerdict> HandleAsync(DeviceIdentity device, string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        SparkplugSessionResult result;
        SparkplugTopic? parsed = null;
        var category = SparkplugRefusals.Malformed;
        try
        {
            parsed = SparkplugTopic.Parse(topic);
            var strict = parsed.MessageType == SparkplugMessageType.NBirth && await settings.StrictBirthsAsync(device.TenantId, ct);
            var message = parsed.MessageType == SparkplugMessageType.State ? null : SparkplugDecoder.Decode(parsed, payload.Span);
            if (message is { LacksRebirthMetric: true } && strict)
            {
                category = SparkplugRefusals.NoRebirthMetric;
            }

            lock (_hostLock)
            {
                result = message is null ? _host.Handle(topic, payload.Span) : _host.Handle(message, strict);
            }
        }
        catch (SparkplugProtocolException e)
        {
            await ReportAsync(device, parsed, category, e.Message, warning: false, ct);
            return PublishVerdict.Refuse(ReasonCode.PayloadFormatInvalid, e.Message);
        }

        if (result.RebirthRequest is { } rebirth)
        {
            services.GetRequiredService<MqttServer>().Publish(rebirth.TopicName, rebirth.Payload, QualityOfService.AtMostOnce);
        }

        foreach (var change in result.StatusChanges)
        {
            if (await MachineIdAsync(device, change.DeviceId, ct) is { } machineId)
            {
                connectivity.Set(device.TenantId, machineId, new ConnectionState(change.Online, change.At, "sparkplug",
                    change.Online ? null : "death certificate"));
                if (change.Online)
                {
                    addresses.Set(device.TenantId, machineId, new SparkplugAddress(change.GroupId, change.EdgeNodeId, change.DeviceId));
                }
            }
        }

        if (result.Warning is { } warning)
        {
            await ReportAsync(device, parsed, SparkplugRefusals.NoRebirthMetric, warning, warning: true, ct);
        }
        else if (result.Outcome == SparkplugSessionOutcome.RebirthNeeded)
        {
            await ReportAsync(device, parsed, SparkplugRefusals.OutOfSession, $"{result.Reason}; rebirth requested", warning: false, ct);
        }

        var stored = new List<Task>();
        var isData = result.Topic.MessageType is SparkplugMessageType.NData or SparkplugMessageType.DData;
        foreach (var group in result.Values.GroupBy(v => v.DeviceId))
        {
            if (await MachineIdAsync(device, group.Key, ct) is not { } machineId)
            {
                continue;
            }

            // A birth's Answer/* metrics only declare them; an answer is what a DATA message reports.
            if (isData && SparkplugCommandMetrics.ToAnswer(group) is { } answer
                && commands.Receive(new MachineAck(device.TenantId, machineId, group.Key ?? device.MachineName, answer)).Refusal is { } why)
            {
                await ReportAsync(device, parsed, SparkplugRefusals.CommandAnswer, $"answer to a command not taken: {why}", warning: false, ct);
            }

            var readings = new List<Reading>();
            foreach (var metric in group.Where(v => !IsControlMetric(v.Name) && !SparkplugCommandMetrics.IsCommandChannel(v.Name)))
            {
                if (ToTagValue(metric.Value) is { } value && TagName(metric.Name) is { } tag)
                {
                    readings.Add(new Reading(tag, metric.Timestamp.ToUnixTimeMilliseconds(), value));
                }
            }

            if (readings.Count > 0)
            {
                // Acknowledged once durable, like MQTT JSON telemetry (a QoS 1 NDATA).
                var admission = await pipeline.AdmitAsync(new DeviceMessage(device.TenantId, machineId, "sparkplug", clock.GetUtcNow(), readings), null, ct);
                if (admission.Refusal is { } refusal)
                {
                    return PublishVerdict.Refuse(ReasonCode.PayloadFormatInvalid, refusal);
                }

                stored.Add(admission.Stored!);
            }
        }

        return result.Outcome == SparkplugSessionOutcome.RebirthNeeded
            ? PublishVerdict.Refuse(ReasonCode.ImplementationSpecificError, $"rebirth requested: {result.Reason}")
            : stored.Count switch
            {
                0 => PublishVerdict.Accept,
                1 => PublishVerdict.AcceptWhenDurable(stored[0]),
                _ => PublishVerdict.AcceptWhenDurable(Task.WhenAll(stored)),
            };
    }

    /// <summary>Shown on the machine the topic names (the device under a gateway, else the edge node itself).</summary>
    private async Task ReportAsync(DeviceIdentity device, SparkplugTopic? topic, string category, string detail, bool warning, CancellationToken ct)
    {
        var machineId = await MachineIdAsync(device, topic?.DeviceId, ct) ?? device.MachineId;
        var type = topic is null ? "message" : SparkplugTopic.Name(topic.MessageType);
        await (warning
            ? refusals.WarnedAsync(device.TenantId, machineId, type, category, detail, ct)
            : refusals.RefusedAsync(device.TenantId, machineId, type, category, detail, ct));
    }

    /// <summary>The edge node itself, or the machine its device id names in the same tenant; null when none does.</summary>
    private async ValueTask<long?> MachineIdAsync(DeviceIdentity device, string? deviceId, CancellationToken ct)
    {
        if (deviceId is null || deviceId == device.MachineName)
        {
            return device.MachineId;
        }

        var now = clock.GetUtcNow();
        if (_machineIds.TryGetValue((device.TenantId, deviceId), out var cached) && now - cached.At < NameCacheLife)
        {
            return cached.Id;
        }

        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM machines WHERE tenant_id = @TenantId AND name = @deviceId", new { device.TenantId, deviceId }, cancellationToken: ct));
        _machineIds[(device.TenantId, deviceId)] = (id, now);
        return id;
    }

    /// <summary>Session bookkeeping of the protocol itself, not machine data (spec 6.4.x: bdSeq, Node Control/*).</summary>
    private static bool IsControlMetric(string name) =>
        name == "bdSeq" || name.StartsWith("Node Control/", StringComparison.Ordinal) || name.StartsWith("Device Control/", StringComparison.Ordinal);

    /// <summary>Sparkplug names may hold '/' folders ("Axis/X/Load"); a tag name uses '.' for them.</summary>
    private static string? TagName(string metric)
    {
        var name = metric.Replace('/', '.').Replace(' ', '_');
        return name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            ? name
            : null;
    }

    private static TagValue? ToTagValue(object? value) => value switch
    {
        null => null,
        bool flag => TagValue.Of(flag),
        string text => text.Length <= TelemetryJson.MaxTextLength ? TagValue.Of(text) : null,
        DateTimeOffset at => TagValue.Of(at.ToUnixTimeMilliseconds()),
        float f when float.IsFinite(f) => TagValue.Of(f),
        double d when double.IsFinite(d) => TagValue.Of(d),
        sbyte or short or int or long or byte or ushort or uint or ulong => TagValue.Of(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => null, // arrays, data sets, templates and bytes have no single tag value
    };
}
