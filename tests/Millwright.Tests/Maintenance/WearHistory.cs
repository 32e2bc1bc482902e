using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Storage.TimeSeries;

namespace Millwright.Tests.Maintenance;

/// <summary>Writes a machine's history as the platform would have stored it: state intervals and one vibration reading a minute.</summary>
internal static class WearHistory
{
    public const long Hour = 3_600_000;

    /// <summary>State intervals, each until the next change; the last one is open.</summary>
    public static async Task StatesAsync(Session s, long machine, params (long At, string State)[] changes)
    {
        for (var i = 0; i < changes.Length; i++)
        {
            long? end = i + 1 < changes.Length ? changes[i + 1].At : null;
            await s.ExecuteAsync("INSERT INTO machine_states (tenant_id, machine_id, state, start_at, end_at) VALUES (@Tenant, @machine, @state, @from, @end)",
                new { s.Tenant, machine, state = changes[i].State, from = changes[i].At, end });
        }
    }

    /// <summary>One reading a minute for <paramref name="hours"/> from <paramref name="start"/>; the value at hour h is <paramref name="value"/>(h).</summary>
    public static IEnumerable<IngestPoint> Vibration(long tenant, long machine, long start, int hours, Func<double, double> value) =>
        Enumerable.Range(0, hours * 60).Select(m => new IngestPoint(new SeriesKey(tenant, machine, "vibration"), SeriesKind.Gauge, start + (m * 60_000L) + 1_000, value(m / 60.0)));
}
