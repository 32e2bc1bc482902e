using System.Text.Json;
using Millwright.Api;
using Millwright.Modbus;

namespace Millwright.Features.Modbus;

/// <summary>
/// Checks a machine's command map and turns a command's JSON into the register writes it names. The answer's
/// registers join the poller's read plan under reserved tags (<see cref="AnswerTag"/>), so the answer is read back
/// on the machine's own polling interval, over the poller's connection.
/// </summary>
internal static class ModbusCommandMaps
{
    public const string AnswerTag = "answer:";
    public const string StatusMember = "status";
    private const int MaxFields = 64;
    private const int MaxStringRegisters = 60;
    private const int MaxRegistersPerWrite = 123; // FC 16's limit (application protocol 6.12)

    private static readonly Dictionary<string, ModbusDataType> Numbers = new(StringComparer.Ordinal)
    {
        ["int16"] = ModbusDataType.Int16, ["uint16"] = ModbusDataType.UInt16, ["int32"] = ModbusDataType.Int32,
        ["uint32"] = ModbusDataType.UInt32, ["float32"] = ModbusDataType.Float32,
    };

    public static ModbusCommandMapDto? Validate(ModbusCommandMapInput? input, Validator v)
    {
        if (input is null)
        {
            return null;
        }

        var fields = Fields(input.Fields, "commands.fields", allowStrings: true, v);
        var commandRegister = input.CommandRegister ?? -1;
        if (commandRegister is < 0 or > 65535)
        {
            v.Add("commands.commandRegister", "is required: the holding register (0-65535) the command's code is written to, last");
        }

        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (input.Codes is not { Count: > 0 and <= 32 })
        {
            v.Add("commands.codes", "between 1 and 32 command types, each with its code, for example {\"job\": 1, \"cancel\": 2}");
        }

        foreach (var (type, code) in input.Codes ?? new Dictionary<string, int>())
        {
            if (type.Length is 0 or > 64 || code is < 1 or > 65535)
            {
                v.Add($"commands.codes.{type}", "a command type (1-64 characters) with a code between 1 and 65535");
            }

            codes[type] = code;
        }

        if (fields.Any(f => commandRegister >= f.Address && commandRegister < f.Address + Width(f)))
        {
            v.Add("commands.commandRegister", "overlaps a field's registers");
        }

        for (var i = 0; i < fields.Count; i++)
        {
            for (var j = i + 1; j < fields.Count; j++)
            {
                if (fields[i].Address < fields[j].Address + Width(fields[j]) && fields[j].Address < fields[i].Address + Width(fields[i]))
                {
                    v.Add("commands.fields", $"'{fields[i].Member}' and '{fields[j].Member}' overlap");
                }
            }
        }

        var answer = input.Answer;
        var area = answer?.Area ?? "holding";
        if (area is not ("holding" or "input"))
        {
            v.Add("commands.answer.area", "must be holding or input");
        }

        var statusRegister = answer?.StatusRegister ?? -1;
        if (statusRegister is < 0 or > 65535)
        {
            v.Add("commands.answer.statusRegister", "is required: the register (0-65535) whose code says the machine's answer");
        }

        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        if (answer?.Statuses is not { Count: > 0 and <= 32 })
        {
            v.Add("commands.answer.statuses", "between 1 and 32 codes, for example {\"1\": \"accepted\", \"4\": \"completed\"}");
        }

        foreach (var (code, status) in answer?.Statuses ?? new Dictionary<string, string>())
        {
            if (!int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) || c is < 1 or > 65535
                || status is not { Length: > 0 and <= 32 })
            {
                v.Add($"commands.answer.statuses.{code}", "a code between 1 and 65535 with a status word (for production: accepted, rejected, cancelled, completed)");
            }

            statuses[code] = status ?? "";
        }

        var answerFields = Fields(answer?.Fields, "commands.answer.fields", allowStrings: false, v);
        if (answerFields.Any(f => f.Member == StatusMember))
        {
            v.Add("commands.answer.fields", "'status' is the status register's");
        }

        return new ModbusCommandMapDto(fields, commandRegister, codes, new ModbusAnswerDto(area, statusRegister, statuses, answerFields));
    }

    /// <summary>The poller reads these with the machine's own points; their tags never reach telemetry.</summary>
    public static IEnumerable<ModbusPoint> AnswerPoints(ModbusCommandMapDto map)
    {
        var area = map.Answer.Area == "input" ? ModbusArea.InputRegister : ModbusArea.HoldingRegister;
        yield return new ModbusPoint(AnswerTag + StatusMember, area, (ushort)map.Answer.StatusRegister, ModbusDataType.UInt16);
        foreach (var f in map.Answer.Fields)
        {
            yield return new ModbusPoint(AnswerTag + f.Member, area, (ushort)f.Address, Numbers[f.DataType], WordOrder(f));
        }
    }

    /// <summary>The writes for one command, in order (fields, then the command register), or why there are none.</summary>
    public static (IReadOnlyList<ModbusRegisterWrite> Writes, string? Refusal) Writes(ModbusCommandMapDto map, ReadOnlyMemory<byte> command)
    {
        using var json = JsonDocument.Parse(command);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return ([], "the command has no type");
        }

        var type = typeElement.GetString()!;
        if (!map.Codes.TryGetValue(type, out var code))
        {
            return ([], $"the machine's Modbus command map has no code for '{type}' commands");
        }

        var registers = new SortedDictionary<int, ushort>();
        foreach (var field in map.Fields)
        {
            if (!root.TryGetProperty(field.Member, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue; // A member the command lacks leaves its registers as they are.
            }

            var (words, problem) = Encode(field, value);
            if (problem is not null)
            {
                return ([], $"'{field.Member}' {problem}");
            }

            for (var i = 0; i < words!.Length; i++)
            {
                registers[field.Address + i] = words[i];
            }
        }

        var writes = new List<ModbusRegisterWrite>();
        var run = new List<ushort>();
        var start = -1;
        foreach (var (address, word) in registers)
        {
            if (run.Count > 0 && (address != start + run.Count || run.Count == MaxRegistersPerWrite))
            {
                writes.Add(new ModbusRegisterWrite((ushort)start, [.. run]));
                run.Clear();
            }

            start = run.Count == 0 ? address : start;
            run.Add(word);
        }

        if (run.Count > 0)
        {
            writes.Add(new ModbusRegisterWrite((ushort)start, [.. run]));
        }

        // Last, so the machine sees a complete job block when the code arrives.
        writes.Add(new ModbusRegisterWrite((ushort)map.CommandRegister, [(ushort)code]));
        return (writes, null);
    }

    private static (ushort[]? Words, string? Problem) Encode(ModbusCommandFieldDto field, JsonElement value)
    {
        if (field.DataType == "string")
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (text.Length > field.Length * 2 || text.Any(c => c is < ' ' or > '~'))
            {
                return (null, $"must be printable ASCII of at most {field.Length * 2} characters for its {field.Length} registers");
            }

            var words = new ushort[field.Length];
            for (var i = 0; i < text.Length; i++)
            {
                words[i / 2] |= (ushort)(i % 2 == 0 ? text[i] << 8 : text[i]);
            }

            return (words, null);
        }

        double number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            number = value.GetDouble();
        }
        else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            number = value.GetBoolean() ? 1 : 0;
        }
        else
        {
            return (null, $"must be a number for its {field.DataType} register");
        }

        try
        {
            return (ModbusPointCodec.EncodeRegisters(new ModbusPoint(field.Member, ModbusArea.HoldingRegister, (ushort)field.Address, Numbers[field.DataType], WordOrder(field)), number), null);
        }
        catch (ArgumentException e)
        {
            return (null, $"does not fit its {field.DataType} register: {e.Message}");
        }
    }

    private static List<ModbusCommandFieldDto> Fields(IReadOnlyList<ModbusCommandFieldInput>? inputs, string at, bool allowStrings, Validator v)
    {
        var fields = new List<ModbusCommandFieldDto>();
        if (inputs is { Count: > MaxFields })
        {
            v.Add(at, $"at most {MaxFields} fields");
            return fields;
        }

        var members = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (inputs?.Count ?? 0); i++)
        {
            var f = inputs![i];
            var where = $"{at}[{i}]";
            var dataType = f?.DataType ?? "uint16";
            if (f?.Member is not { Length: > 0 and <= 64 } member || !members.Add(member))
            {
                v.Add($"{where}.member", "is required, 1-64 characters, once per map: the command's member the register holds");
                continue;
            }

            if (!Numbers.ContainsKey(dataType) && !(allowStrings && dataType == "string"))
            {
                v.Add($"{where}.dataType", allowStrings ? "must be int16, uint16, int32, uint32, float32 or string" : "must be int16, uint16, int32, uint32 or float32");
                continue;
            }

            var length = dataType == "string" ? f.Length ?? 0 : dataType is "int32" or "uint32" or "float32" ? 2 : 1;
            if (dataType == "string" && length is < 1 or > MaxStringRegisters)
            {
                v.Add($"{where}.length", $"a string field needs its length in registers, 1-{MaxStringRegisters}");
            }

            if (f.Address is not { } address || address < 0 || address + length > 65536)
            {
                v.Add($"{where}.address", "is required: a holding register address (0-65535, the protocol address, not the 40001-style number)");
                continue;
            }

            if ((f.WordOrder ?? "abcd") is not ("abcd" or "cdab"))
            {
                v.Add($"{where}.wordOrder", "must be abcd or cdab");
            }

            fields.Add(new ModbusCommandFieldDto(member, address, dataType, f.WordOrder ?? "abcd", length));
        }

        return fields;
    }

    private static int Width(ModbusCommandFieldDto f) => f.Length;

    private static ModbusWordOrder WordOrder(ModbusCommandFieldDto f) => f.WordOrder == "cdab" ? ModbusWordOrder.WordSwapped : ModbusWordOrder.BigEndian;
}
