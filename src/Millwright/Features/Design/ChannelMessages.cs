using System.Buffers;
using System.Text.Json;
using Millwright.Design;
using Millwright.Design.Parameters;

namespace Millwright.Features.Design;

/// <summary>The server's messages on the design channel (docs/design-workspace.md, "Channel protocol"), written once and shared by every recipient.</summary>
internal static class ChannelMessages
{
    public static byte[] Welcome(DesignMember member, long project, IEnumerable<DesignMember> present) => Write(w =>
    {
        w.WriteString("type", "welcome");
        w.WriteNumber("project", project);
        w.WriteString("replica", member.Replica);
        w.WriteBoolean("readOnly", member.ReadOnly);
        w.WriteStartArray("presence");
        foreach (var other in present)
        {
            WritePresence(w, other, left: false);
        }

        w.WriteEndArray();
    });

    public static byte[] State(DesignSnapshot snapshot) => Write(w =>
    {
        w.WriteString("type", "state");
        w.WritePropertyName("floor");
        WriteStamp(w, snapshot.Floor);
        w.WriteNumber("clock", snapshot.Clock);
        w.WriteStartObject("parents");
        foreach (var (node, parent) in snapshot.Parents)
        {
            w.WriteString(node, parent);
        }

        w.WriteEndObject();
        w.WriteStartObject("fields");
        foreach (var (node, fields) in snapshot.Fields)
        {
            w.WriteStartObject(node);
            foreach (var (field, value) in fields)
            {
                w.WriteString(field, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartArray("tail");
        foreach (var op in snapshot.Tail)
        {
            WriteOp(w, op);
        }

        w.WriteEndArray();
    });

    public static byte[] Ops(IEnumerable<DesignOp> ops) => Write(w =>
    {
        w.WriteString("type", "ops");
        w.WriteStartArray("ops");
        foreach (var op in ops)
        {
            WriteOp(w, op);
        }

        w.WriteEndArray();
    });

    public static byte[] Ack(IEnumerable<long> counters) => Write(w =>
    {
        w.WriteString("type", "ack");
        w.WriteStartArray("counters");
        foreach (var counter in counters)
        {
            w.WriteNumberValue(counter);
        }

        w.WriteEndArray();
    });

    /// <summary>An error; <paramref name="code"/> is malformed, refused, stale, read-only or storage (docs/design-workspace.md).</summary>
    public static byte[] Error(string code, string message, long? counter = null) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        if (counter is { } c)
        {
            w.WriteNumber("counter", c);
        }
    });

    /// <summary>Tells an author that its move did not take effect: with the operations stamped before it, it would make a cycle.</summary>
    public static byte[] Reverted(DesignOp op, IReadOnlyList<string> path) => Write(w =>
    {
        w.WriteString("type", "reverted");
        w.WriteNumber("counter", op.Stamp.Counter);
        w.WriteString("node", op.Node);
        w.WriteString("parent", op.Parent);
        w.WriteString("reason", $"moving {op.Node} under {op.Parent} would make a cycle: {string.Join(" / ", path)}");
        w.WriteStartArray("path");
        foreach (var node in path)
        {
            w.WriteStringValue(node);
        }

        w.WriteEndArray();
    });

    /// <summary>
    /// Parameter and constraint results that changed (or, after the state, all of them): value and unit, the error that
    /// keeps one from having a value, a constraint's verdict; a removed one has a null text.
    /// </summary>
    public static byte[] Parameters(IEnumerable<ParameterResult> results, bool all) => Write(w =>
    {
        w.WriteString("type", "parameters");
        w.WriteBoolean("all", all);
        w.WriteStartArray("values");
        foreach (var r in results)
        {
            w.WriteStartObject();
            w.WriteString("node", r.Ref.Node);
            w.WriteString("field", r.Ref.Field);
            w.WriteString("text", r.Text);
            var (number, unit) = r.Shown;
            if (number.Length > 0)
            {
                w.WriteString("value", number);
                w.WriteString("unit", unit);
            }

            if (r.Error is not null)
            {
                w.WriteString("error", r.Error);
            }

            if (r.Holds is { } holds)
            {
                w.WriteBoolean("holds", holds);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static byte[] Presence(DesignMember member, bool left) => Write(w =>
    {
        w.WriteString("type", "presence");
        WritePresenceFields(w, member, left);
    });

    private static void WritePresence(Utf8JsonWriter w, DesignMember member, bool left)
    {
        w.WriteStartObject();
        WritePresenceFields(w, member, left);
        w.WriteEndObject();
    }

    private static void WritePresenceFields(Utf8JsonWriter w, DesignMember member, bool left)
    {
        w.WriteString("replica", member.Replica);
        w.WriteString("actor", member.Caller.KeyName);
        w.WriteString("node", left ? null : member.Looking);
        if (left)
        {
            w.WriteBoolean("left", true);
        }
    }

    public static void WriteOp(Utf8JsonWriter w, DesignOp op)
    {
        w.WriteStartObject();
        w.WriteNumber("counter", op.Stamp.Counter);
        w.WriteString("replica", op.Stamp.Replica);
        w.WriteString("kind", op.Kind == DesignOpKind.Move ? "move" : "set");
        w.WriteString("node", op.Node);
        if (op.Kind == DesignOpKind.Move)
        {
            w.WriteString("parent", op.Parent);
        }
        else
        {
            w.WriteString("field", op.Field);
            w.WriteString("value", op.Value);
        }

        w.WriteEndObject();
    }

    /// <summary>Every requirement with its status (the same objects as <c>GET .../requirements</c>), sent when one changed.</summary>
    public static byte[] Requirements(IReadOnlyList<RequirementDto> requirements) => Write(w =>
    {
        w.WriteString("type", "requirements");
        w.WritePropertyName("items");
        JsonSerializer.Serialize(w, requirements, DesignRevisions.Json);
    });

    private static void WriteStamp(Utf8JsonWriter w, OpStamp stamp)
    {
        w.WriteStartObject();
        w.WriteNumber("counter", stamp.Counter);
        w.WriteString("replica", stamp.Replica ?? "");
        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
