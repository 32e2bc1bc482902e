using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Modbus;
using Millwright.Security;

namespace Millwright.Features.Modbus;

/// <summary>A machine's Modbus TCP connection in the registry: where the platform polls it and what it reads.</summary>
internal static class ModbusConnections
{
    public const int MaxPoints = 1000;
    private const string Columns = "tenant_id, machine_id, host, port, unit_id, interval_ms, timeout_ms, points, commands, updated_at";

    private static readonly Dictionary<string, ModbusArea> Areas = new(StringComparer.Ordinal)
    {
        ["coil"] = ModbusArea.Coil, ["discrete"] = ModbusArea.DiscreteInput, ["input"] = ModbusArea.InputRegister, ["holding"] = ModbusArea.HoldingRegister,
    };

    private static readonly Dictionary<string, ModbusDataType> DataTypes = new(StringComparer.Ordinal)
    {
        ["bool"] = ModbusDataType.Bool, ["int16"] = ModbusDataType.Int16, ["uint16"] = ModbusDataType.UInt16,
        ["int32"] = ModbusDataType.Int32, ["uint32"] = ModbusDataType.UInt32, ["float32"] = ModbusDataType.Float32,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<ModbusConnectionDto> GetAsync(Session s, long machineId, MachineConnectivity connectivity)
    {
        await Machines.Machines.GetAsync(s, machineId);
        var row = await s.QueryOneAsync<ModbusConnectionRow>(
            $"SELECT {Columns} FROM modbus_connections WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId })
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no Modbus connection.");
        return AsDto(row, connectivity.Of(s.Tenant, machineId));
    }

    public static async Task<ModbusConnectionDto> PutAsync(Session s, long machineId, ModbusConnectionInput input, EgressPolicy egress, CancellationToken ct)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var (host, port, unitId, interval, timeout, points, commandMap) = Validate(input);
        // A literal address is judged now; a name when the poller connects, against what it resolves to then.
        if (await egress.RefuseHostAsync(s.Tenant, host, port, ct) is { } refusal)
        {
            throw ApiProblem.Invalid("host", refusal);
        }
        var json = JsonSerializer.Serialize(points, Json);
        var commands = commandMap is null ? null : JsonSerializer.Serialize(commandMap, Json);
        var changed = await s.ExecuteAsync(
            """
            UPDATE modbus_connections SET host = @host, port = @port, unit_id = @unitId, interval_ms = @interval, timeout_ms = @timeout,
                points = @json, commands = @commands, updated_at = @Now
            WHERE tenant_id = @Tenant AND machine_id = @machineId
            """,
            new { host, port, unitId, interval, timeout, json, commands, s.Now, s.Tenant, machineId });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                """
                INSERT INTO modbus_connections (tenant_id, machine_id, host, port, unit_id, interval_ms, timeout_ms, points, commands, updated_at)
                VALUES (@Tenant, @machineId, @host, @port, @unitId, @interval, @timeout, @json, @commands, @Now)
                """,
                new { s.Tenant, machineId, host, port, unitId, interval, timeout, json, commands, s.Now });
        }

        await s.AuditAsync(changed == 0 ? "create" : "update", "modbus_connection", machineId,
            $"Modbus for machine '{machine.Name}': {host}:{port} unit {unitId}, {points.Count} points every {interval} ms"
            + (commandMap is null ? "" : $", commands {string.Join('/', commandMap.Codes.Keys)} to register {commandMap.CommandRegister}"));
        var row = await s.QueryOneAsync<ModbusConnectionRow>(
            $"SELECT {Columns} FROM modbus_connections WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        return AsDto(row!, null);
    }

    public static async Task DeleteAsync(Session s, long machineId)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var deleted = await s.ExecuteAsync("DELETE FROM modbus_connections WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        if (deleted == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no Modbus connection.");
        }

        await s.AuditAsync("delete", "modbus_connection", machineId, $"removed the Modbus connection of machine '{machine.Name}'");
    }

    /// <summary>The poller's view of a stored row; rows were validated when written.</summary>
    public static ModbusMachine ToMachine(ModbusConnectionRow row) => new(
        $"{row.TenantId}/{row.MachineId}",
        row.Host,
        (int)row.Port,
        (byte)row.UnitId,
        new ModbusRegisterMap(Parse(row.Points).Select(ToPoint).Concat(CommandMap(row) is { } map ? ModbusCommandMaps.AnswerPoints(map) : [])),
        TimeSpan.FromMilliseconds(row.IntervalMs),
        TimeSpan.FromMilliseconds(row.TimeoutMs));

    private static ModbusConnectionDto AsDto(ModbusConnectionRow row, ConnectionState? connection) => new(
        row.MachineId, row.Host, (int)row.Port, (int)row.UnitId, (int)row.IntervalMs, (int)row.TimeoutMs, Parse(row.Points),
        DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt), connection, CommandMap(row));

    /// <summary>The stored command map (validated when written), or null when the machine takes no commands over Modbus.</summary>
    public static ModbusCommandMapDto? CommandMap(ModbusConnectionRow row) =>
        row.Commands is null ? null : JsonSerializer.Deserialize<ModbusCommandMapDto>(row.Commands, Json);

    private static List<ModbusPointDto> Parse(string json) => JsonSerializer.Deserialize<List<ModbusPointDto>>(json, Json) ?? [];

    private static ModbusPointInput AsInput(ModbusPoint p) => new(
        p.Tag, Areas.Single(a => a.Value == p.Area).Key, p.Address, DataTypes.Single(d => d.Value == p.DataType).Key,
        p.WordOrder == ModbusWordOrder.WordSwapped ? "cdab" : "abcd", p.Scale, p.Offset);

    private static ModbusPoint ToPoint(ModbusPointDto p) => new(
        p.Tag, Areas[p.Area], (ushort)p.Address, DataTypes[p.DataType],
        p.WordOrder == "cdab" ? ModbusWordOrder.WordSwapped : ModbusWordOrder.BigEndian, p.Scale, p.Offset);

    private static (string Host, int Port, int UnitId, int Interval, int Timeout, List<ModbusPointDto> Points, ModbusCommandMapDto? Commands) Validate(
        ModbusConnectionInput input)
    {
        var v = new Validator();
        var host = input.Host?.Trim() ?? "";
        if (host.Length is 0 or > 253 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            v.Add("host", "must be a host name or IP address");
        }

        var port = input.Port ?? 502;
        if (port is < 1 or > 65535)
        {
            v.Add("port", "must be between 1 and 65535");
        }

        // Unit 0 is broadcast (no answer) and 248-255 are reserved (Modbus over serial line 2.2).
        var unitId = input.UnitId ?? 1;
        if (unitId is < 1 or > 247)
        {
            v.Add("unitId", "must be between 1 and 247");
        }

        var interval = input.IntervalMs ?? 1000;
        if (interval is < 100 or > 3_600_000)
        {
            v.Add("intervalMs", "must be between 100 ms and one hour");
        }

        var timeout = input.TimeoutMs ?? 1000;
        if (timeout is < 50 or > 60_000 || timeout > interval * 10)
        {
            v.Add("timeoutMs", "must be between 50 ms and 60 s, and at most ten polling intervals");
        }

        var points = new List<ModbusPointDto>();
        var inputs = input.Points ?? [];
        if (input.Template is { } template)
        {
            if (!PowerMeterMap.Templates.TryGetValue(template, out var map))
            {
                v.Add("template", $"must be one of {string.Join(", ", PowerMeterMap.Templates.Keys)}");
            }
            else if (inputs.Count > 0)
            {
                v.Add("template", "give either points or a template, not both");
            }
            else
            {
                inputs = map.Select(AsInput).ToList();
            }
        }

        if (inputs.Count is 0 or > MaxPoints)
        {
            v.Add("points", $"between 1 and {MaxPoints} points");
        }

        for (var i = 0; i < inputs.Count && i < MaxPoints; i++)
        {
            var p = inputs[i];
            var at = $"points[{i}]";
            if (p?.Tag is not { Length: > 0 and <= 64 } tag || tag.StartsWith(ModbusCommandMaps.AnswerTag, StringComparison.Ordinal))
            {
                v.Add($"{at}.tag", $"is required (a tag name of the machine's type, not starting with {ModbusCommandMaps.AnswerTag})");
                continue;
            }

            var area = p.Area ?? "holding";
            var dataType = p.DataType ?? "uint16";
            var wordOrder = p.WordOrder ?? "abcd";
            if (!Areas.ContainsKey(area))
            {
                v.Add($"{at}.area", "must be coil, discrete, input or holding");
            }

            if (!DataTypes.ContainsKey(dataType))
            {
                v.Add($"{at}.dataType", "must be bool, int16, uint16, int32, uint32 or float32");
            }

            if (wordOrder is not ("abcd" or "cdab"))
            {
                v.Add($"{at}.wordOrder", "must be abcd or cdab");
            }

            if (p.Address is not (>= 0 and <= 65535))
            {
                v.Add($"{at}.address", "is required, between 0 and 65535 (the protocol address, not the 40001-style number)");
            }

            if (p.Scale is double.NaN or 0 || p.Offset is double.NaN)
            {
                v.Add($"{at}.scale", "scale must be a non-zero number and offset a number");
            }

            points.Add(new ModbusPointDto(tag, area, p.Address ?? 0, dataType, wordOrder, p.Scale ?? 1, p.Offset ?? 0));
        }

        var commands = ModbusCommandMaps.Validate(input.Commands, v);
        v.ThrowIfInvalid();
        try
        {
            // The map checks what only the whole map can show: duplicate tags, bit types on registers, ranges.
            _ = new ModbusRegisterMap(points.Select(ToPoint).Concat(commands is null ? [] : ModbusCommandMaps.AnswerPoints(commands)));
        }
        catch (ArgumentException e)
        {
            throw ApiProblem.Invalid("points", e.Message);
        }

        return (host, port, unitId, interval, timeout, points, commands);
    }
}
