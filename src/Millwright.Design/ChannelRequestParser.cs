using System.Text.Json;

namespace Millwright.Design;

/// <summary>
/// Parses the design channel's client messages, untrusted JSON text from any browser or tool:
/// <c>{"type":"hello","replica":"r1","key":"mwk_..."}</c>, <c>{"type":"ops","ops":[...]}</c>,
/// <c>{"type":"presence","node":"n1"|null}</c>, <c>{"type":"resync"}</c>. Unknown fields, wrong types, bad names and
/// counters that are not positive are refused; every failure is a <see cref="ChannelProtocolException"/>.
/// </summary>
internal static class ChannelRequestParser
{
    public const int MaxOpsPerMessage = 500;
    public const int MaxValueLength = 1_000;
    public const int MaxKeyLength = 200;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };

    public static ChannelRequest Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), Options);
        }
        catch (JsonException e)
        {
            throw new ChannelProtocolException($"malformed JSON: {e.Message.Split('.')[0]}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // A string that is not valid UTF-8 cannot be read as text.
                throw new ChannelProtocolException("a string is not valid UTF-8");
            }
        }
    }

    private static ChannelRequest Read(JsonElement root)
    {
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ChannelProtocolException("expected an object with a \"type\"");
            }

            var type = String(root, "type", required: true);
            return type switch
            {
                "hello" => Hello(root),
                "ops" => Ops(root),
                "presence" => Presence(root),
                "resync" => Only(root, new ChannelRequest(ChannelRequestKind.Resync)),
                _ => throw new ChannelProtocolException($"unknown type '{Shorten(type!)}'; expected hello, ops, presence or resync"),
            };
        }
    }

    private static ChannelRequest Hello(JsonElement root)
    {
        Allow(root, "type", "replica", "key");
        var replica = String(root, "replica", required: true)!;
        if (!DesignNames.IsReplica(replica))
        {
            throw new ChannelProtocolException($"\"replica\" must be 1-{DesignNames.MaxReplica} letters, digits, '_' or '-'");
        }

        var key = String(root, "key", required: false);
        if (key is not null && key.Length is 0 or > MaxKeyLength)
        {
            throw new ChannelProtocolException($"\"key\" must be 1-{MaxKeyLength} characters");
        }

        return new ChannelRequest(ChannelRequestKind.Hello, Key: key, Replica: replica);
    }

    private static ChannelRequest Presence(JsonElement root)
    {
        Allow(root, "type", "node");
        var node = String(root, "node", required: false);
        if (node is not null && !DesignNames.IsNode(node))
        {
            throw new ChannelProtocolException($"\"node\" '{Shorten(node)}' is not a node id");
        }

        return new ChannelRequest(ChannelRequestKind.Presence, Node: node);
    }

    private static ChannelRequest Ops(JsonElement root)
    {
        Allow(root, "type", "ops");
        if (!root.TryGetProperty("ops", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new ChannelProtocolException("\"ops\" must be an array");
        }

        var count = list.GetArrayLength();
        if (count is 0 or > MaxOpsPerMessage)
        {
            throw new ChannelProtocolException($"\"ops\" must hold 1-{MaxOpsPerMessage} operations");
        }

        var ops = new List<WireOp>(count);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            ops.Add(Op(item, index++));
        }

        return new ChannelRequest(ChannelRequestKind.Ops, Ops: ops);
    }

    private static WireOp Op(JsonElement item, int index)
    {
        var at = $"ops[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ChannelProtocolException($"{at} must be an object");
        }

        if (!item.TryGetProperty("counter", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt64(out var counter) || counter <= 0)
        {
            throw new ChannelProtocolException($"{at}.counter must be a positive integer");
        }

        var node = String(item, "node", required: true, at)!;
        if (!DesignNames.IsNode(node))
        {
            throw new ChannelProtocolException($"{at}.node '{Shorten(node)}' is not a node id (1-{DesignNames.MaxNode} letters, digits, '_', '.', ':' or '-')");
        }

        switch (String(item, "kind", required: true, at))
        {
            case "move":
                AllowIn(item, at, "counter", "kind", "node", "parent");
                var parent = String(item, "parent", required: true, at)!;
                if (!DesignNames.IsNode(parent))
                {
                    throw new ChannelProtocolException($"{at}.parent '{Shorten(parent)}' is not a node id");
                }

                return new WireOp(counter, DesignOpKind.Move, node, parent, null, null);
            case "set":
                AllowIn(item, at, "counter", "kind", "node", "field", "value");
                var field = String(item, "field", required: true, at)!;
                if (!DesignNames.IsField(field))
                {
                    throw new ChannelProtocolException($"{at}.field '{Shorten(field)}' is not a field name");
                }

                var value = String(item, "value", required: false, at);
                if (value is { Length: > MaxValueLength })
                {
                    throw new ChannelProtocolException($"{at}.value is longer than {MaxValueLength} characters");
                }

                return new WireOp(counter, DesignOpKind.Set, node, null, field, value);
            case var other:
                throw new ChannelProtocolException($"{at}.kind '{Shorten(other!)}' is not move or set");
        }
    }

    private static ChannelRequest Only(JsonElement root, ChannelRequest request)
    {
        Allow(root, "type");
        return request;
    }

    private static void Allow(JsonElement element, params string[] names) => AllowIn(element, "message", names);

    private static void AllowIn(JsonElement element, string at, params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(names, property.Name) < 0)
            {
                throw new ChannelProtocolException($"unknown field '{Shorten(property.Name)}' in {at}");
            }
        }
    }

    private static string? String(JsonElement element, string name, bool required, string at = "message")
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new ChannelProtocolException($"{at} needs \"{name}\"") : null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ChannelProtocolException($"\"{name}\" in {at} must be a string");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
