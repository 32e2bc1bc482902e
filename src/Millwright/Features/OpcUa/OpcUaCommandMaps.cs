using System.Globalization;
using System.Text.Json;
using Millwright.Api;
using Millwright.OpcUa;

namespace Millwright.Features.OpcUa;

/// <summary>
/// Checks an OPC UA machine's command map and turns a command's JSON into the input arguments of its type's method
/// (docs/opcua.md, "Commands"). Integer types take whole numbers that fit (a fraction is rounded, as for Modbus);
/// String takes a string or a number (its text); Boolean takes true or false.
/// </summary>
internal static class OpcUaCommandMaps
{
    public const string StatusMember = "status";
    private const int MaxMethods = 16;
    private const int MaxArguments = 32;
    private const int MaxFields = 16;
    private const int MaxText = 4096;

    private static readonly Dictionary<string, BuiltInType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Boolean"] = BuiltInType.Boolean, ["SByte"] = BuiltInType.SByte, ["Byte"] = BuiltInType.Byte, ["Int16"] = BuiltInType.Int16,
        ["UInt16"] = BuiltInType.UInt16, ["Int32"] = BuiltInType.Int32, ["UInt32"] = BuiltInType.UInt32, ["Int64"] = BuiltInType.Int64,
        ["UInt64"] = BuiltInType.UInt64, ["Float"] = BuiltInType.Float, ["Double"] = BuiltInType.Double, ["String"] = BuiltInType.String,
    };

    public static OpcUaCommandMapDto? Validate(OpcUaCommandMapInput? input, Validator v)
    {
        if (input is null)
        {
            return null;
        }

        var methods = new Dictionary<string, OpcUaMethodDto>(StringComparer.Ordinal);
        if (input.Methods is not { Count: > 0 and <= MaxMethods })
        {
            v.Add("commands.methods", $"between 1 and {MaxMethods} command types, each with the method it calls, for example {{\"job\": {{\"objectId\": \"ns=2;s=Job\", \"methodId\": \"ns=2;s=Job.Start\", \"arguments\": [...]}}}}");
        }

        foreach (var (type, method) in (input.Methods ?? new Dictionary<string, OpcUaMethodInput>()).Take(MaxMethods))
        {
            var at = $"commands.methods.{type}";
            if (type.Length is 0 or > 64)
            {
                v.Add(at, "a command type of 1-64 characters");
                continue;
            }

            var objectId = Node(method?.ObjectId, $"{at}.objectId", v);
            var methodId = Node(method?.MethodId, $"{at}.methodId", v);
            var arguments = new List<OpcUaArgumentDto>();
            var inputs = method?.Arguments ?? [];
            if (inputs.Count > MaxArguments)
            {
                v.Add($"{at}.arguments", $"at most {MaxArguments}");
            }

            for (var i = 0; i < inputs.Count && i < MaxArguments; i++)
            {
                var argument = inputs[i];
                if (argument?.Member is not { Length: > 0 and <= 64 } member)
                {
                    v.Add($"{at}.arguments[{i}].member", "is required: the command's member (jobId, program, quantity, ...) the argument is taken from");
                    continue;
                }

                if (argument.DataType is not { } type2 || !Types.TryGetValue(type2, out var builtIn))
                {
                    v.Add($"{at}.arguments[{i}].dataType", $"one of {string.Join(", ", Types.Keys)}");
                    continue;
                }

                arguments.Add(new OpcUaArgumentDto(member, builtIn.ToString()));
            }

            var result = method?.Result?.Trim() ?? (type == "cancel" ? "cancelled" : "accepted");
            if (result.Length is 0 or > 32)
            {
                v.Add($"{at}.result", "the answer status a Good result stands for, 1-32 characters (default accepted, cancelled for a cancel)");
            }

            methods[type] = new OpcUaMethodDto(objectId, methodId, arguments, result);
        }

        var timeout = input.TimeoutMs ?? 5000;
        if (timeout is < 100 or > 60_000)
        {
            v.Add("commands.timeoutMs", "between 100 and 60000: how long a call may take before the command counts as unanswered");
        }

        return new OpcUaCommandMapDto(methods, timeout, Answer(input.Answer, v));
    }

    private static OpcUaAnswerDto? Answer(OpcUaAnswerInput? input, Validator v)
    {
        if (input is null)
        {
            return null;
        }

        var status = Node(input.StatusNode, "commands.answer.statusNode", v);
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input.Statuses is not { Count: > 0 and <= 32 })
        {
            v.Add("commands.answer.statuses", "between 1 and 32 values of the status node with the answer each stands for, for example {\"1\": \"accepted\", \"4\": \"completed\"}");
        }

        foreach (var (value, meaning) in (input.Statuses ?? new Dictionary<string, string>()).Take(32))
        {
            if (value.Length is 0 or > 64 || value == "0" || meaning is not { Length: > 0 and <= 32 })
            {
                v.Add($"commands.answer.statuses.{value}", "a value other than 0 or empty (those mean idle), with a status of 1-32 characters");
            }

            statuses[value] = meaning ?? "";
        }

        var fields = new List<OpcUaAnswerFieldDto>();
        var inputs = input.Fields ?? [];
        if (inputs.Count > MaxFields)
        {
            v.Add("commands.answer.fields", $"at most {MaxFields}");
        }

        var members = new HashSet<string>(StringComparer.Ordinal) { StatusMember };
        for (var i = 0; i < inputs.Count && i < MaxFields; i++)
        {
            if (inputs[i]?.Member is not { Length: > 0 and <= 64 } member || !members.Add(member))
            {
                v.Add($"commands.answer.fields[{i}].member", "is required, once, and not 'status': the answer's member the node's value is (jobId, good, scrap, ...)");
                continue;
            }

            fields.Add(new OpcUaAnswerFieldDto(member, Node(inputs[i].NodeId, $"commands.answer.fields[{i}].nodeId", v)));
        }

        return new OpcUaAnswerDto(status, statuses, fields);
    }

    private static string Node(string? text, string field, Validator v)
    {
        if (text is null || !NodeId.TryParse(text, out _))
        {
            v.Add(field, "is required: a node id such as ns=2;s=Job.Start or ns=2;i=7001");
            return "";
        }

        return text;
    }

    /// <summary>The method's input arguments from the command's members, or why they cannot be made.</summary>
    public static (IReadOnlyList<Variant> Arguments, string? Refusal) Arguments(OpcUaMethodDto method, JsonElement command)
    {
        var arguments = new List<Variant>(method.Arguments.Count);
        for (var i = 0; i < method.Arguments.Count; i++)
        {
            var (member, dataType) = method.Arguments[i];
            if (!command.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return ([], $"the command has no '{member}' for argument {i + 1} of method {method.MethodId}");
            }

            if (ToVariant(Enum.Parse<BuiltInType>(dataType), value) is not { } variant)
            {
                return ([], $"'{member}' does not fit argument {i + 1} of method {method.MethodId} ({dataType})");
            }

            arguments.Add(variant);
        }

        return (arguments, null);
    }

    private static Variant? ToVariant(BuiltInType type, JsonElement value)
    {
        switch (type)
        {
            case BuiltInType.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? new Variant(type, value.GetBoolean()) : null;
            case BuiltInType.String:
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                };
                return text is { Length: <= MaxText } ? new Variant(type, text) : null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            return null;
        }

        if (type is BuiltInType.Float or BuiltInType.Double)
        {
            return type == BuiltInType.Double ? new Variant(type, number)
                : Math.Abs(number) <= float.MaxValue ? new Variant(type, (float)number) : null;
        }

        // Integers: whole numbers read exactly when the JSON has them so (a 64-bit job id), others rounded.
        decimal whole;
        if (value.TryGetInt64(out var exact))
        {
            whole = exact;
        }
        else if (value.TryGetDecimal(out var dec))
        {
            whole = Math.Round(dec, MidpointRounding.AwayFromZero);
        }
        else
        {
            return null;
        }

        try
        {
            return type switch
            {
                BuiltInType.SByte => new Variant(type, (sbyte)whole),
                BuiltInType.Byte => new Variant(type, (byte)whole),
                BuiltInType.Int16 => new Variant(type, (short)whole),
                BuiltInType.UInt16 => new Variant(type, (ushort)whole),
                BuiltInType.Int32 => new Variant(type, (int)whole),
                BuiltInType.UInt32 => new Variant(type, (uint)whole),
                BuiltInType.Int64 => new Variant(type, (long)whole),
                BuiltInType.UInt64 => new Variant(type, (ulong)whole),
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The text a status node's value is looked up by: integers and strings as written, anything else none.</summary>
    public static string? StatusKey(Variant value) => value.IsArray ? null : value.Value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        sbyte or short or int or long or byte or ushort or uint or ulong => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A number an answer member carries, if the node's value is one.</summary>
    public static double? Number(Variant value) => value.IsArray ? null : value.Value switch
    {
        sbyte or short or int or long or byte or ushort or uint or ulong => Convert.ToDouble(value.Value, CultureInfo.InvariantCulture),
        float f when float.IsFinite(f) => f,
        double d when double.IsFinite(d) => d,
        _ => null,
    };
}
