using System.Globalization;
using System.Text.Json;
using Millwright.Features.Connectivity;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.OpcUa;

namespace Millwright.Features.OpcUa;

/// <summary>
/// A machine's answers read from its monitored status node (docs/opcua.md, "Commands"), one watch per session: the
/// status node and the answer's field nodes are monitored with the machine's other nodes, but their values are
/// taken here, never as telemetry. When the status value (or the job id beside it) changes to one that is not idle
/// (0 or empty), that is one answer, handed to the machine-command port as the JSON an MQTT machine publishes on
/// cmd/ack. The first status value a session sees is only learned, so an answer left from before a reconnect is
/// not heard twice. Values that arrive together (one publish) are taken together before the answer is made, so a
/// machine that sets its good count and its status at once answers with both.
/// </summary>
internal sealed class OpcUaAnswerWatch
{
    private readonly long _tenant;
    private readonly long _machine;
    private readonly string _name;
    private readonly OpcUaAnswerDto _answer;
    private readonly MachineCommandPort _port;
    private readonly MachineConnectivity _connectivity;
    private readonly TimeProvider _clock;
    private readonly Dictionary<NodeId, string> _members = [];
    private readonly Dictionary<string, Variant> _latest = new(StringComparer.Ordinal);
    private string? _heard;
    private bool _learned;
    private bool _pending;

    public OpcUaAnswerWatch(long tenant, long machine, string name, OpcUaAnswerDto answer, MachineCommandPort port, MachineConnectivity connectivity, TimeProvider clock)
    {
        (_tenant, _machine, _name, _answer, _port, _connectivity, _clock) = (tenant, machine, name, answer, port, connectivity, clock);
        _members[NodeId.Parse(answer.StatusNode)] = OpcUaCommandMaps.StatusMember;
        foreach (var field in answer.Fields)
        {
            _members[NodeId.Parse(field.NodeId)] = field.Member;
        }
    }

    /// <summary>The nodes to monitor: the status node first, then the fields.</summary>
    public IEnumerable<NodeId> Nodes => _members.Keys;

    /// <summary>Takes a change of an answer node (true), or leaves it to telemetry (false).</summary>
    public bool Take(MonitoredValue change)
    {
        if (!_members.TryGetValue(change.Node, out var member))
        {
            return false;
        }

        if (change.Value.Status.IsGood)
        {
            _latest[member] = change.Value.Value;
            _pending |= member == OpcUaCommandMaps.StatusMember || member == "jobId";
        }

        return true;
    }

    /// <summary>After a batch of changes: the answer, if the status (or its job) changed.</summary>
    public void Flush()
    {
        if (!_pending || !_latest.TryGetValue(OpcUaCommandMaps.StatusMember, out var statusValue))
        {
            return;
        }

        _pending = false;
        var key = OpcUaCommandMaps.StatusKey(statusValue);
        var signature = $"{key}|{(_latest.TryGetValue("jobId", out var job) ? job.ToString() : "")}";
        var first = !_learned;
        _learned = true;
        if (first || signature == _heard)
        {
            _heard = signature;
            return;
        }

        _heard = signature;
        if (key is null or "" or "0")
        {
            return; // idle
        }

        if (!_answer.Statuses.TryGetValue(key, out var status))
        {
            Show($"answer to a command not taken: status value {key} of {_answer.StatusNode} is not in the machine's OPC UA command map");
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(OpcUaCommandMaps.StatusMember, status);
            foreach (var (member, value) in _latest.Where(l => l.Key != OpcUaCommandMaps.StatusMember))
            {
                if (OpcUaCommandMaps.Number(value) is { } number)
                {
                    if (number == Math.Floor(number) && Math.Abs(number) < 1e15)
                    {
                        json.WriteNumber(member, (long)number);
                    }
                    else
                    {
                        json.WriteNumber(member, number);
                    }
                }
                else if (value.Value is string text && !value.IsArray)
                {
                    // A job id kept as a string node is still a job id.
                    if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
                    {
                        json.WriteNumber(member, whole);
                    }
                    else
                    {
                        json.WriteString(member, text);
                    }
                }
            }

            json.WriteEndObject();
        }

        if (_port.Receive(new MachineAck(_tenant, _machine, _name, buffer.ToArray())).Refusal is { } why)
        {
            Show($"answer to a command not taken: {why}");
        }
    }

    private void Show(string detail) => OpcUaCommandTransport.Show(_connectivity, _clock, _tenant, _machine, detail);
}
