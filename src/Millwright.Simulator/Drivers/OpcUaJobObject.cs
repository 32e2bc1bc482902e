using System.Collections.Concurrent;
using System.Text.Json;
using Millwright.OpcUa;
using Millwright.OpcUa.Server;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// The job object a job-taking simulated OPC UA machine serves (docs/simulator.md, "Jobs"; the platform's side is
/// docs/opcua.md, "Commands"), as a machine builder's information model might: the platform calls
/// <c>Job.Start(jobId, program, quantity, setupSeconds, unitSeconds)</c> or <c>Job.Cancel(jobId)</c>; a call with
/// arguments of the right types is queued and answered Good (the machine takes it on its tick), a wrong one gets
/// BadInvalidArgument for that argument; the machine's answers appear as <c>Job.Id</c>, <c>Job.Good</c>,
/// <c>Job.Scrap</c> and, last, <c>Job.State</c> (1 accepted, 2 rejected, 3 cancelled, 4 completed), which the
/// platform monitors.
/// </summary>
internal sealed class OpcUaJobObject
{
    public static readonly NodeId Job = new(1, "Job");
    public static readonly NodeId Start = new(1, "Job.Start");
    public static readonly NodeId Cancel = new(1, "Job.Cancel");
    public static readonly NodeId State = new(1, "Job.State");
    public static readonly NodeId Id = new(1, "Job.Id");
    public static readonly NodeId Good = new(1, "Job.Good");
    public static readonly NodeId Scrap = new(1, "Job.Scrap");

    private static readonly string[] Statuses = ["", "accepted", "rejected", "cancelled", "completed"];
    private static readonly BuiltInType[] StartArguments = [BuiltInType.UInt32, BuiltInType.String, BuiltInType.UInt32, BuiltInType.Double, BuiltInType.Double];
    private readonly ConcurrentQueue<byte[]> _commands = new();
    private readonly ServerAddressSpace _space;

    public OpcUaJobObject(ServerAddressSpace space)
    {
        _space = space;
        foreach (var node in new[] { State, Id, Good, Scrap })
        {
            space.Set(node, Variant.From(0u));
        }

        space.AddMethod(Job, Start, inputs => Take(inputs, StartArguments, json =>
        {
            json.WriteString("type", "job");
            json.WriteNumber("jobId", (uint)inputs[0].Value!);
            json.WriteString("program", (string?)inputs[1].Value ?? "");
            json.WriteNumber("quantity", (uint)inputs[2].Value!);
            json.WriteNumber("setupSeconds", (double)inputs[3].Value!);
            json.WriteNumber("unitSeconds", (double)inputs[4].Value!);
        }));
        space.AddMethod(Job, Cancel, inputs => Take(inputs, [BuiltInType.UInt32], json =>
        {
            json.WriteString("type", "cancel");
            json.WriteNumber("jobId", (uint)inputs[0].Value!);
        }));
    }

    /// <summary>The command map the platform is given for this object (PUT /api/v1/machines/{id}/opcua, <c>commands</c>).</summary>
    public static object Contract() => new
    {
        methods = new Dictionary<string, object>
        {
            ["job"] = new
            {
                objectId = Job.ToString(), methodId = Start.ToString(),
                arguments = new object[]
                {
                    new { member = "jobId", dataType = "UInt32" }, new { member = "program", dataType = "String" }, new { member = "quantity", dataType = "UInt32" },
                    new { member = "setupSeconds", dataType = "Double" }, new { member = "unitSeconds", dataType = "Double" },
                },
            },
            ["cancel"] = new { objectId = Job.ToString(), methodId = Cancel.ToString(), arguments = new object[] { new { member = "jobId", dataType = "UInt32" } } },
        },
        timeoutMs = 5000,
        answer = new
        {
            statusNode = State.ToString(),
            statuses = new Dictionary<string, string> { ["1"] = Statuses[1], ["2"] = Statuses[2], ["3"] = Statuses[3], ["4"] = Statuses[4] },
            fields = new object[]
            {
                new { member = "jobId", nodeId = Id.ToString() }, new { member = "good", nodeId = Good.ToString() }, new { member = "scrap", nodeId = Scrap.ToString() },
            },
        },
    };

    /// <summary>The next command called and not yet taken, as the JSON the platform would have sent over MQTT.</summary>
    public bool TryTake(out byte[] payload) => _commands.TryDequeue(out payload!);

    /// <summary>Shows an answer (the JSON of docs/production.md): the fields first, the state last, as the platform reads them together.</summary>
    public void Answer(byte[] answer)
    {
        using var json = JsonDocument.Parse(answer);
        var root = json.RootElement;
        uint Member(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? (uint)Math.Clamp(n, 0, uint.MaxValue) : 0;
        var status = (uint)Math.Max(0, Array.IndexOf(Statuses, root.TryGetProperty("status", out var s) ? s.GetString() : null));
        var now = DateTime.UtcNow;
        _space.Set(Id, Variant.From(Member("jobId")), now);
        _space.Set(Good, Variant.From(Member("good")), now);
        _space.Set(Scrap, Variant.From(Member("scrap")), now);
        _space.Set(State, Variant.From(status), now);
    }

    private MethodOutcome Take(IReadOnlyList<Variant> inputs, BuiltInType[] types, Action<Utf8JsonWriter> write)
    {
        if (inputs.Count < types.Length)
        {
            return new MethodOutcome(StatusCode.BadArgumentsMissing, []);
        }

        var results = inputs.Select((v, i) => i < types.Length && v.Type == types[i] && !v.IsArray ? StatusCode.Good : StatusCode.BadInvalidArgument).ToList();
        if (inputs.Count > types.Length || results.Any(r => r.IsBad))
        {
            return new MethodOutcome(StatusCode.BadInvalidArgument, [], results);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        _commands.Enqueue(buffer.ToArray());
        return new MethodOutcome(StatusCode.Good, []);
    }
}
