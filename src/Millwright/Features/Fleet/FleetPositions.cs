using System.Globalization;
using Millwright.Api;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Fleet;

/// <summary>
/// What the fleet screen draws: every machine of the tenant that reported <c>latitude</c> and <c>longitude</c>,
/// with its current state and active fault, as parallel columns (at 100,000 machines a column per field is a
/// third of the bytes of one object per machine, and the page keeps them as typed arrays).
/// </summary>
internal static class FleetPositions
{
    public static async Task<FleetPositionsDto> ReadAsync(Session s, LatestValues latest, long now)
    {
        var machines = await MachineStates.CurrentAsync(s, new CurrentStatesQuery(null, null));
        var ids = new List<long>();
        var names = new List<string>();
        var lat = new List<double>();
        var lon = new List<double>();
        var states = new List<string?>();
        var at = new List<long>();
        var faults = new List<FleetFaultDto>();
        foreach (var machine in machines)
        {
            var values = latest.Of(s.Tenant, machine.MachineId);
            if (Number(values, "latitude") is not { } la || Number(values, "longitude") is not { } lo || !Coordinates.IsPosition(la.Value, lo.Value))
            {
                continue;
            }

            ids.Add(machine.MachineId);
            names.Add(machine.Name);
            lat.Add(la.Value);
            lon.Add(lo.Value);
            states.Add(machine.State);
            at.Add(la.Timestamp);
            if (Number(values, "fault_code") is { Value: > 0 } code)
            {
                var fmi = Number(values, "fault_fmi")?.Value;
                faults.Add(new FleetFaultDto(machine.MachineId, machine.Name, fmi is null ? string.Create(CultureInfo.InvariantCulture, $"{code.Value:0}") : string.Create(CultureInfo.InvariantCulture, $"{code.Value:0}/{fmi:0}"),
                    Number(values, "fault_severity")?.Value is { } severity ? (int)severity : null, DateTimeOffset.FromUnixTimeMilliseconds(code.Timestamp)));
            }
        }

        return new FleetPositionsDto(DateTimeOffset.FromUnixTimeMilliseconds(now), ids, names, lat, lon, states, at, faults);
    }

    private static (double Value, long Timestamp)? Number(IReadOnlyList<Reading> values, string tag)
    {
        foreach (var reading in values)
        {
            if (reading.Tag == tag && reading.Value.Kind == TagValueKind.Number && double.IsFinite(reading.Value.Number))
            {
                return (reading.Value.Number, reading.Timestamp);
            }
        }

        return null;
    }
}
