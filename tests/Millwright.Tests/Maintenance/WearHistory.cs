using System.Net;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;
using Millwright.Storage.TimeSeries;
using Millwright.Tests.Harness;

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

    /// <summary>
    /// Four machines of a new type with a vibration tag on <paramref name="lineId"/>: a and b broke down after their vibration
    /// rose (the threshold is learned from them), c is six hours along the same path (at risk), d is steady. Returns their
    /// ids in that order and the minute the history ends at (now).
    /// </summary>
    public static async Task<(List<long> Ids, long Now)> DegradingMachinesAsync(TestHost host, TestTenant t, long lineId, string marker)
    {
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{marker} spindle", tags = new object[] { new { name = "vibration", unit = "mm/s", dataType = "float" } },
        }, HttpStatusCode.Created);
        var ids = new List<long>();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            ids.Add((await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId, typeId = type.Id(), name = $"{marker}-{name}" }, HttpStatusCode.Created)).Id());
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        const long H = Hour;
        var points = new List<IngestPoint>();
        await using (var s = await Session.BeginAsync(host.Database, Caller.CommandLine(t.Id), TimeProvider.System))
        {
            // a and b: a repair that fitted a part (so its healthy start is on record), eight hours of rising vibration,
            // a breakdown of 3 h (its repair fits a new part), then steady.
            foreach (var (machine, offset, slope) in new[] { (ids[0], 23 * H, 0.05), (ids[1], 22 * H, 0.055) })
            {
                await StatesAsync(s, machine, (now - offset - (3 * H), "down"), (now - offset, "running"), (now - offset + (8 * H), "down"), (now - offset + (11 * H), "running"));
                points.AddRange(Vibration(t.Id, machine, now - offset, 8, h => 1 + (slope * h * h)));
                points.AddRange(Vibration(t.Id, machine, now - offset + (11 * H), 9, _ => 1));
            }

            // c: a breakdown before its readings begin (nothing to learn from), then six hours on the same path.
            await StatesAsync(s, ids[2], (now - (9 * H), "down"), (now - (6 * H), "running"));
            points.AddRange(Vibration(t.Id, ids[2], now - (6 * H), 6, h => 1 + (0.05 * h * h)));

            // d: steady for ten hours, never broken down (its part predates the record: measured from the type's healthy level).
            await StatesAsync(s, ids[3], (now - (10 * H), "running"));
            points.AddRange(Vibration(t.Id, ids[3], now - (10 * H), 10, _ => 1));
            await s.CommitAsync();
        }

        var stored = await host.Service<TelemetryStorage>().Store.AppendAsync(points);
        Assert.Empty(stored.Rejected);
        return (ids, now);
    }
}
