using System.Buffers;
using System.Text.Json;
using Millwright.Features.Production;
using Millwright.Features.States;
using static Millwright.Features.ClusterLeaders.JsonFields;

namespace Millwright.Features.ClusterLeaders;

/// <summary>One planner event on its way to the tenant's leader, numbered by the node it came from.</summary>
internal sealed record RelayedEvent(long Id, long TenantId, ProductionEvent? Event, RelayedCount? Count);

/// <summary>Parts and scrap a machine counted (summed on the node that observed them).</summary>
internal sealed record RelayedCount(long MachineId, double Parts, double Scrap, long At);

/// <summary>
/// The body of a batch of relayed planner events: JSON, <c>{"from": NODE, "events": [...]}</c>, each event with its
/// id, tenant and kind (plan, cancel, state, ack, count) and that kind's fields. A cancelled order's held jobs carry
/// only what the leader needs to tell the machines (id, machine, commands sent). Anything else, or a field of the
/// wrong type, is a <see cref="FormatException"/>: the body came from no node of this version.
/// </summary>
internal static class RelayCodec
{
    /// <summary>Bodies past this are refused unread.</summary>
    public const int MaxBytes = 16 << 20;

    public static byte[] Encode(string from, IReadOnlyList<RelayedEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("from", from);
            w.WriteStartArray("events");
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteNumber("id", e.Id);
                w.WriteNumber("tenant", e.TenantId);
                Write(w, e);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, RelayedEvent e)
    {
        switch (e.Event)
        {
            case null when e.Count is { } count:
                w.WriteString("kind", "count");
                w.WriteNumber("machine", count.MachineId);
                w.WriteNumber("parts", count.Parts);
                w.WriteNumber("scrap", count.Scrap);
                w.WriteNumber("at", count.At);
                break;
            case PlanRequested plan:
                w.WriteString("kind", "plan");
                w.WriteString("reason", plan.Reason);
                break;
            case JobsCancelled cancelled:
                w.WriteString("kind", "cancel");
                w.WriteString("reason", cancelled.Reason);
                w.WriteStartArray("held");
                foreach (var job in cancelled.Held)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", job.Id);
                    WriteOptional(w, "machine", job.MachineId);
                    w.WriteString("machineName", job.MachineName);
                    w.WriteNumber("commands", job.Commands);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case StateObserved observed:
                var state = observed.State;
                w.WriteString("kind", "state");
                w.WriteNumber("machine", state.MachineId);
                w.WriteString("state", state.State);
                w.WriteNumber("since", state.Since.ToUnixTimeMilliseconds());
                w.WriteString("reason", state.Reason);
                w.WriteNumber("interval", state.IntervalId);
                w.WriteNumber("lastSeen", state.LastSeen.ToUnixTimeMilliseconds());
                break;
            case AckReceived answer:
                var ack = answer.Ack;
                w.WriteString("kind", "ack");
                w.WriteNumber("machine", answer.MachineId);
                w.WriteString("machineName", answer.MachineName);
                w.WriteString("commandId", ack.CommandId);
                w.WriteNumber("jobId", ack.JobId);
                w.WriteString("status", ack.Status);
                w.WriteString("reason", ack.Reason);
                WriteOptional(w, "good", ack.Good);
                WriteOptional(w, "scrap", ack.Scrap);
                break;
            default:
                throw new ArgumentException($"{e.Event?.GetType().Name ?? "an empty event"} is not relayed", nameof(e));
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static (string From, IReadOnlyList<RelayedEvent> Events) Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBytes)
        {
            throw new FormatException($"a relayed batch of {body.Length} bytes is over the limit of {MaxBytes}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"a relayed batch is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = Object(document.RootElement, "the batch");
            var from = Text(root, "from");
            var events = new List<RelayedEvent>();
            foreach (var item in Array(root, "events"))
            {
                events.Add(Event(Object(item, "an event")));
            }

            return (from, events);
        }
    }

    private static RelayedEvent Event(JsonElement e)
    {
        var id = Whole(e, "id");
        var tenant = Whole(e, "tenant");
        return Text(e, "kind") switch
        {
            "count" => new RelayedEvent(id, tenant, null, new RelayedCount(Whole(e, "machine"), Number(e, "parts"), Number(e, "scrap"), Whole(e, "at"))),
            "plan" => new RelayedEvent(id, tenant, new PlanRequested(tenant, Text(e, "reason")), null),
            "cancel" => new RelayedEvent(id, tenant, new JobsCancelled(tenant, [.. Array(e, "held").Select(j => HeldJob(Object(j, "a held job")))], Text(e, "reason")), null),
            "state" => new RelayedEvent(id, tenant, new StateObserved(tenant, new CurrentState(
                Whole(e, "machine"), Text(e, "state"), Instant(e, "since"), OptionalText(e, "reason"), Whole(e, "interval"), Instant(e, "lastSeen"))), null),
            "ack" => new RelayedEvent(id, tenant, new AckReceived(tenant, Whole(e, "machine"), Text(e, "machineName"), new CommandAck(
                OptionalText(e, "commandId"), Whole(e, "jobId"), Text(e, "status"), OptionalText(e, "reason"), OptionalWhole(e, "good"), OptionalWhole(e, "scrap"))), null),
            var kind => throw new FormatException($"'{kind}' is not a kind of relayed event"),
        };
    }

    private static JobRow HeldJob(JsonElement j) => new()
    {
        Id = Whole(j, "id"),
        MachineId = OptionalWhole(j, "machine"),
        MachineName = OptionalText(j, "machineName"),
        Commands = (int)Math.Clamp(Whole(j, "commands"), 0, int.MaxValue),
    };
}
