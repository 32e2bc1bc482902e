using System.Text.Json;

namespace Millwright.Design;

/// <summary>Reads the server's messages on the client side: operations and snapshots back into <see cref="DesignOp"/> and <see cref="DesignSnapshot"/>.</summary>
internal static class ServerMessages
{
    public static DesignOp Op(JsonElement e)
    {
        var stamp = new OpStamp(e.GetProperty("counter").GetInt64(), e.GetProperty("replica").GetString()!);
        var node = e.GetProperty("node").GetString()!;
        return e.GetProperty("kind").GetString() == "move"
            ? DesignOp.Move(stamp, node, e.GetProperty("parent").GetString()!)
            : DesignOp.Set(stamp, node, e.GetProperty("field").GetString()!, e.GetProperty("value").GetString());
    }

    public static DesignSnapshot Snapshot(JsonElement e)
    {
        var floor = e.GetProperty("floor");
        var parents = e.GetProperty("parents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        var fields = e.GetProperty("fields").EnumerateObject().ToDictionary(
            n => n.Name, n => n.Value.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString(), StringComparer.Ordinal), StringComparer.Ordinal);
        var tail = e.GetProperty("tail").EnumerateArray().Select(Op).ToList();
        return new DesignSnapshot(new OpStamp(floor.GetProperty("counter").GetInt64(), floor.GetProperty("replica").GetString()!), e.GetProperty("clock").GetInt64(), parents, fields, tail);
    }

    public static void WriteOp(Utf8JsonWriter w, DesignOp op)
    {
        w.WriteStartObject();
        w.WriteNumber("counter", op.Stamp.Counter);
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
}
