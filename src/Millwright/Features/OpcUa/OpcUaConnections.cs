using System.Text.Json;
using System.Text.RegularExpressions;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.OpcUa;
using Millwright.Security;

namespace Millwright.Features.OpcUa;

/// <summary>A machine's OPC UA server in the registry (table opcua_connections): where the platform subscribes and which nodes it maps to tags.</summary>
internal static partial class OpcUaConnections
{
    public const int MaxNodes = 500;
    private const string Columns = "tenant_id, machine_id, endpoint, publishing_ms, nodes, updated_at, security, security_mode, commands";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<OpcUaConnectionDto> GetAsync(Session s, long machineId, MachineConnectivity connectivity, OpcUaMachines machines) =>
        AsDto(await RowAsync(s, machineId), connectivity.Of(s.Tenant, machineId)) with { NodeStatus = machines.NodeStatus(s.Tenant, machineId) };

    public static async Task<OpcUaConnectionRow> RowAsync(Session s, long machineId)
    {
        await Machines.Machines.GetAsync(s, machineId);
        return await s.QueryOneAsync<OpcUaConnectionRow>(
            $"SELECT {Columns} FROM opcua_connections WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId })
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no OPC UA connection.");
    }

    public static async Task<OpcUaConnectionDto> PutAsync(Session s, long machineId, OpcUaConnectionInput input, EgressPolicy egress, CancellationToken ct)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        var (endpoint, publishing, nodes, security, mode, commands) = Validate(input);
        // A literal address is judged now; a name when the platform connects, against what it resolves to then.
        if (await egress.RefuseHostAsync(s.Tenant, endpoint.Host, endpoint.Port > 0 ? endpoint.Port : 4840, ct) is { } refusal)
        {
            throw ApiProblem.Invalid("endpoint", refusal);
        }

        var url = endpoint.OriginalString;
        var json = JsonSerializer.Serialize(nodes, Json);
        var commandJson = commands is null ? null : JsonSerializer.Serialize(commands, Json);
        var changed = await s.ExecuteAsync(
            """
            UPDATE opcua_connections SET endpoint = @url, publishing_ms = @publishing, nodes = @json, updated_at = @Now, security = @security,
                security_mode = @mode, commands = @commandJson
            WHERE tenant_id = @Tenant AND machine_id = @machineId
            """,
            new { url, publishing, json, s.Now, s.Tenant, machineId, security, mode, commandJson });
        if (changed == 0)
        {
            await s.ExecuteAsync(
                """
                INSERT INTO opcua_connections (tenant_id, machine_id, endpoint, publishing_ms, nodes, updated_at, security, security_mode, commands)
                VALUES (@Tenant, @machineId, @url, @publishing, @json, @Now, @security, @mode, @commandJson)
                """,
                new { s.Tenant, machineId, url, publishing, json, s.Now, security, mode, commandJson });
        }

        await s.AuditAsync(changed == 0 ? "create" : "update", "opcua_connection", machineId,
            $"OPC UA for machine '{machine.Name}': {url} ({security}{(security == OpcUaClientOptions.SecurityNone ? "" : $" {mode}")}), {nodes.Count} nodes, publishing every {publishing} ms{(commands is null ? "" : $", commands: {string.Join(", ", commands.Methods.Keys)}")}");
        var row = await s.QueryOneAsync<OpcUaConnectionRow>(
            $"SELECT {Columns} FROM opcua_connections WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId });
        return AsDto(row!, null);
    }

    public static async Task DeleteAsync(Session s, long machineId)
    {
        var machine = await Machines.Machines.GetAsync(s, machineId);
        if (await s.ExecuteAsync("DELETE FROM opcua_connections WHERE tenant_id = @Tenant AND machine_id = @machineId", new { s.Tenant, machineId }) == 0)
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Machine {machineId} has no OPC UA connection.");
        }

        await s.AuditAsync("delete", "opcua_connection", machineId, $"removed the OPC UA connection of machine '{machine.Name}'");
    }

    /// <summary>The stored command map, if the machine takes commands; rows were validated when written.</summary>
    public static OpcUaCommandMapDto? CommandMap(OpcUaConnectionRow row) => row.Commands is { } json ? JsonSerializer.Deserialize<OpcUaCommandMapDto>(json, Json) : null;

    /// <summary>The stored node map; rows were validated when written.</summary>
    public static IReadOnlyList<OpcUaNodeDto> Nodes(OpcUaConnectionRow row) => JsonSerializer.Deserialize<List<OpcUaNodeDto>>(row.Nodes, Json) ?? [];

    private static OpcUaConnectionDto AsDto(OpcUaConnectionRow row, ConnectionState? connection) => new(
        row.MachineId, row.Endpoint, row.Security, (int)row.PublishingMs, Nodes(row), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt), connection, row.SecurityMode,
        CommandMap(row));

    private static (Uri Endpoint, int Publishing, List<OpcUaNodeDto> Nodes, string Security, string Mode, OpcUaCommandMapDto? Commands) Validate(
        OpcUaConnectionInput input)
    {
        var v = new Validator();
        Uri? endpoint = null;
        try
        {
            endpoint = OpcUaClientOptions.ParseEndpoint(input.Endpoint?.Trim() ?? "");
        }
        catch (FormatException e)
        {
            v.Add("endpoint", e.Message);
        }

        var security = input.Security?.Trim() ?? OpcUaClientOptions.SecurityNone;
        security = string.Equals(security, OpcUaClientOptions.SecurityNone, StringComparison.OrdinalIgnoreCase) ? OpcUaClientOptions.SecurityNone
            : string.Equals(security, OpcUaClientOptions.SecurityBasic256Sha256, StringComparison.OrdinalIgnoreCase) ? OpcUaClientOptions.SecurityBasic256Sha256
            : "";
        if (security.Length == 0)
        {
            v.Add("security", "None or Basic256Sha256");
        }

        var mode = input.SecurityMode?.Trim() ?? nameof(Millwright.OpcUa.Crypto.MessageSecurityMode.SignAndEncrypt);
        if (!Enum.TryParse<Millwright.OpcUa.Crypto.MessageSecurityMode>(mode, ignoreCase: true, out var parsedMode) || parsedMode == Millwright.OpcUa.Crypto.MessageSecurityMode.None
            || !Enum.IsDefined(parsedMode))
        {
            v.Add("securityMode", "Sign or SignAndEncrypt");
        }

        var publishing = input.PublishingIntervalMs ?? 1000;
        if (publishing is < 50 or > 3_600_000)
        {
            v.Add("publishingIntervalMs", "must be between 50 ms and one hour");
        }

        var nodes = new List<OpcUaNodeDto>();
        var inputs = input.Nodes ?? [];
        if (inputs.Count is 0 or > MaxNodes)
        {
            v.Add("nodes", $"between 1 and {MaxNodes} nodes");
        }

        var tags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count && i < MaxNodes; i++)
        {
            var n = inputs[i];
            var at = $"nodes[{i}]";
            string? nodeId = null;
            string? browsePath = null;
            if (n?.NodeId is null == n?.BrowsePath is null)
            {
                v.Add($"{at}.nodeId", "one of nodeId (such as ns=2;s=Machine.Speed or i=2258) and browsePath (such as /Objects/2:Machine/2:Speed) is required");
                continue;
            }

            if (n!.NodeId is { } text)
            {
                if (!NodeId.TryParse(text, out _))
                {
                    v.Add($"{at}.nodeId", "is not a node id such as ns=2;s=Machine.Speed or i=2258");
                    continue;
                }

                nodeId = text;
            }
            else if (!BrowsePath.TryParse(n.BrowsePath, out var path, out var error))
            {
                v.Add($"{at}.browsePath", error);
                continue;
            }
            else
            {
                // Stored in its own syntax, so that equal paths read the same.
                browsePath = path.ToString();
            }

            if (n.Tag is not { } tag || !TagName().IsMatch(tag) || !tags.Add(tag))
            {
                v.Add($"{at}.tag", "is required, once per map: a tag name (letters, digits, '_', '.', '-'; starts with a letter; at most 64)");
                continue;
            }

            var sampling = n.SamplingIntervalMs ?? publishing;
            if (sampling is < 0 or > 3_600_000)
            {
                v.Add($"{at}.samplingIntervalMs", "must be between 0 (as fast as the server samples) and one hour");
            }

            if (n.Deadband is { } d && (!double.IsFinite(d) || d < 0))
            {
                v.Add($"{at}.deadband", "must be an absolute deadband of 0 or more");
            }

            nodes.Add(new OpcUaNodeDto(nodeId, tag, sampling, n.Deadband ?? 0, browsePath));
        }

        var commands = OpcUaCommandMaps.Validate(input.Commands, v);
        if (commands?.Answer is { } answer)
        {
            // An answer node's values are the command channel; the same node cannot also be a tag.
            var mapped = nodes.Where(n => n.NodeId is not null).Select(n => NodeId.Parse(n.NodeId!)).ToHashSet();
            foreach (var node in answer.Fields.Select(f => f.NodeId).Prepend(answer.StatusNode).Where(n => n.Length > 0 && mapped.Contains(NodeId.Parse(n))))
            {
                v.Add("commands.answer", $"{node} is also in the node map; an answer node is not telemetry");
            }
        }

        v.ThrowIfInvalid();
        return (endpoint!, publishing, nodes, security, parsedMode.ToString(), commands);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex TagName();
}
