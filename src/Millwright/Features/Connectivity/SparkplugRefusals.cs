using System.Diagnostics.Metrics;
using Millwright.Features.Metrics;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Connectivity;

/// <summary>
/// Makes a refused (or grudgingly accepted) Sparkplug B message visible where a user looks: the machine's link
/// state detail, a telemetry flag (tag <c>sparkplug.{TYPE}</c>, reason = the category, value = the full reason)
/// and the counters <c>millwright.sparkplug.refusals</c> / <c>millwright.sparkplug.warnings</c>. A QoS 0 publish
/// has no acknowledgement, so without this an edge node's births and data vanish without a trace.
/// </summary>
internal sealed class SparkplugRefusals
{
    public const string MeterName = "Millwright.Sparkplug";

    /// <summary>Categories: fixed words, so metric labels and flag rows stay bounded whatever the payloads say.</summary>
    public const string Malformed = "malformed";
    public const string NoRebirthMetric = "nbirth-without-rebirth-metric";
    public const string OutOfSession = "out-of-session";
    public const string CommandAnswer = "command-answer";

    private const int MaxDetail = 400;

    private readonly Counter<long> _refusals;
    private readonly Counter<long> _warnings;
    private readonly TenantLabels _tenants;
    private readonly MachineConnectivity _links;
    private readonly TelemetryFlags _flags;
    private readonly TimeProvider _clock;

    public SparkplugRefusals(IMeterFactory meters, TenantLabels tenants, MachineConnectivity links, TelemetryFlags flags, TimeProvider clock)
    {
        var meter = meters.Create(MeterName);
        _refusals = meter.CreateCounter<long>("millwright.sparkplug.refusals", description: "Sparkplug B messages the host refused, by reason and tenant");
        _warnings = meter.CreateCounter<long>("millwright.sparkplug.warnings", description: "Sparkplug B messages accepted despite a deviation from the specification, by reason and tenant");
        _tenants = tenants;
        _links = links;
        _flags = flags;
        _clock = clock;
    }

    public Task RefusedAsync(long tenant, long machine, string messageType, string category, string detail, CancellationToken ct)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>("reason", category), _tenants.For(tenant));
        return ShowAsync(tenant, machine, messageType, category, $"refused {messageType}: {detail}", ct);
    }

    public Task WarnedAsync(long tenant, long machine, string messageType, string category, string detail, CancellationToken ct)
    {
        _warnings.Add(1, new KeyValuePair<string, object?>("reason", category), _tenants.For(tenant));
        return ShowAsync(tenant, machine, messageType, category + " (accepted)", $"warning on {messageType}: {detail}", ct);
    }

    private async Task ShowAsync(long tenant, long machine, string messageType, string reason, string detail, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        detail = detail.Length <= MaxDetail ? detail : detail[..MaxDetail] + "…";
        // The link keeps its online/offline state and since-when; only its detail says what went wrong last.
        var previous = _links.Of(tenant, machine);
        _links.Set(tenant, machine, new ConnectionState(previous?.Online ?? false, previous?.Since ?? now, "sparkplug", detail));
        await _flags.RecordAsync([(tenant, machine, new TelemetryFlag("sparkplug." + messageType, reason, now.ToUnixTimeMilliseconds(), detail))], ct);
    }
}
