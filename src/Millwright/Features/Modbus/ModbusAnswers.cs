using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Millwright.Features.Connectivity;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.Modbus;

/// <summary>
/// Reads a Modbus machine's answers out of its polled answer registers (docs/modbus.md, "Commands"): when the
/// status register and the answer's other registers change to a value other than 0 (idle), that is one answer,
/// given to the machine-command port as the same JSON an MQTT machine publishes on cmd/ack. The first poll only
/// learns what the registers hold, so an answer left there from before a restart is not heard twice.
/// </summary>
internal sealed class ModbusAnswers(MachineCommandPort port, MachineConnectivity connectivity, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(long Tenant, long Machine), (string Name, ModbusCommandMapDto Map)> _maps = new();
    private readonly ConcurrentDictionary<(long Tenant, long Machine), string> _seen = new();

    public void Track(long tenant, long machine, string name, ModbusCommandMapDto? map)
    {
        _seen.TryRemove((tenant, machine), out _);
        if (map is null)
        {
            _maps.TryRemove((tenant, machine), out _);
        }
        else
        {
            _maps[(tenant, machine)] = (name, map);
        }
    }

    public void Forget(long tenant, long machine) => Track(tenant, machine, "", null);

    /// <summary>Takes the answer registers out of a reading; what is left is the machine's telemetry.</summary>
    public Dictionary<string, double> Split(long tenant, long machine, IReadOnlyDictionary<string, double> values)
    {
        var data = new Dictionary<string, double>(StringComparer.Ordinal);
        var answer = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (tag, value) in values)
        {
            if (tag.StartsWith(ModbusCommandMaps.AnswerTag, StringComparison.Ordinal))
            {
                answer[tag[ModbusCommandMaps.AnswerTag.Length..]] = value;
            }
            else
            {
                data[tag] = value;
            }
        }

        if (answer.Count > 0 && _maps.TryGetValue((tenant, machine), out var tracked))
        {
            Hear(tenant, machine, tracked.Name, tracked.Map, answer);
        }

        return data;
    }

    private void Hear(long tenant, long machine, string name, ModbusCommandMapDto map, SortedDictionary<string, double> answer)
    {
        var signature = string.Join(';', answer.Select(a => $"{a.Key}={a.Value.ToString(CultureInfo.InvariantCulture)}"));
        var first = !_seen.TryGetValue((tenant, machine), out var before);
        _seen[(tenant, machine)] = signature;
        if (first || before == signature || !answer.TryGetValue(ModbusCommandMaps.StatusMember, out var code) || code == 0)
        {
            return;
        }

        if (!map.Answer.Statuses.TryGetValue(code.ToString(CultureInfo.InvariantCulture), out var status))
        {
            Show(tenant, machine, $"answer to a command not taken: status code {code} is not in the machine's Modbus command map");
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(ModbusCommandMaps.StatusMember, status);
            foreach (var (member, value) in answer.Where(a => a.Key != ModbusCommandMaps.StatusMember))
            {
                if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
                {
                    json.WriteNumber(member, (long)value);
                }
                else
                {
                    json.WriteNumber(member, value);
                }
            }

            json.WriteEndObject();
        }

        if (port.Receive(new MachineAck(tenant, machine, name, buffer.ToArray())).Refusal is { } why)
        {
            Show(tenant, machine, $"answer to a command not taken: {why}");
        }
    }

    /// <summary>On the machine's link, which keeps its state: the machine is there, its answer was wrong.</summary>
    private void Show(long tenant, long machine, string detail)
    {
        var link = connectivity.Of(tenant, machine);
        connectivity.Set(tenant, machine, new ConnectionState(link?.Online ?? true, link?.Since ?? clock.GetUtcNow(), "modbus", detail, link?.NextRetry, link?.Attempt));
    }
}
