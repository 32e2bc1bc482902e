namespace Millwright.Features.OpcUa;

/// <summary>
/// A node the platform monitors, named by node id or by browse path from the Root folder (resolved at each connect),
/// and the tag its values become; sampling and deadband as OPC 10000-4 5.12 has them.
/// </summary>
internal sealed record OpcUaNodeInput(string? NodeId, string? Tag, int? SamplingIntervalMs, double? Deadband, string? BrowsePath = null);

/// <summary>
/// A machine's OPC UA server: its endpoint (opc.tcp://HOST:PORT, anonymous), security (None or Basic256Sha256 with
/// mode Sign or SignAndEncrypt), how often the server publishes, the node map, and how it takes commands (optional).
/// </summary>
internal sealed record OpcUaConnectionInput(
    string? Endpoint, string? Security, int? PublishingIntervalMs, IReadOnlyList<OpcUaNodeInput>? Nodes, string? SecurityMode = null, OpcUaCommandMapInput? Commands = null);

/// <summary>The SHA-256 thumbprint of the server certificate a person checked and wants trusted for this tenant.</summary>
internal sealed record OpcUaTrustInput(string? Thumbprint);

/// <summary>A map entry: exactly one of <see cref="NodeId"/> and <see cref="BrowsePath"/> is set.</summary>
internal sealed record OpcUaNodeDto(string? NodeId, string Tag, int SamplingIntervalMs, double Deadband, string? BrowsePath = null)
{
    /// <summary>How the entry names its node, for link details.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name => NodeId ?? BrowsePath ?? "";
}

/// <summary>
/// What the running session made of a map entry: the node it monitors (a browse path's resolved node id) and the
/// server's status for it (Good, or why not: BadNoMatch for a path that leads nowhere, BadNodeIdUnknown, ...).
/// </summary>
internal sealed record OpcUaNodeStatusDto(string Tag, string? ResolvedNodeId, string Status);

internal sealed record OpcUaConnectionDto(
    long MachineId, string Endpoint, string Security, int PublishingIntervalMs, IReadOnlyList<OpcUaNodeDto> Nodes, DateTimeOffset UpdatedAt,
    Messages.ConnectionState? Connection, string SecurityMode, OpcUaCommandMapDto? Commands, IReadOnlyList<OpcUaNodeStatusDto>? NodeStatus = null);

internal sealed class OpcUaConnectionRow
{
    public long TenantId { get; set; }
    public long MachineId { get; set; }
    public string Endpoint { get; set; } = "";
    public long PublishingMs { get; set; }
    public string Nodes { get; set; } = "[]";
    public long UpdatedAt { get; set; }
    public string Security { get; set; } = "None";
    public string SecurityMode { get; set; } = "SignAndEncrypt";
    public string? Commands { get; set; }
    public string MachineName { get; set; } = "";
}

/// <summary>The server certificate now trusted for the tenant's OPC UA connections.</summary>
internal sealed record OpcUaTrustedDto(string Subject, string Sha256, DateTime NotAfter);

/// <summary>What an import browses: how deep below Objects (default 6, at most 10), and the sampling interval the proposed entries get (default the publishing interval).</summary>
internal sealed record OpcUaImportInput(int? Depth, int? SamplingIntervalMs);

/// <summary>A variable the import found and proposes: its tag, path, data type and the node id it has now.</summary>
internal sealed record OpcUaFoundVariableDto(string Tag, string BrowsePath, string DataType, string ResolvedNodeId);

/// <summary>
/// An import's answer, nothing stored: <see cref="Connection"/> is the configured connection with the proposed node map,
/// a body to edit and PUT as it is; <see cref="Found"/> says what each entry is. <see cref="Truncated"/> when the browse
/// or the map hit its limit.
/// </summary>
internal sealed record OpcUaImportDto(OpcUaConnectionInput Connection, IReadOnlyList<OpcUaFoundVariableDto> Found, bool Truncated, int VariablesFound);

/// <summary>A CA certificate for the tenant's OPC UA links to trust: PEM text or base64 DER.</summary>
internal sealed record OpcUaTrustedCaInput(string? Certificate);

/// <summary>A trusted CA as stored: who it is, its SHA-256 thumbprint (upper-case hex), its dates, and who added it when.</summary>
internal sealed record OpcUaTrustedCaDto(
    long Id, long TenantId, string Subject, string Sha256, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string AddedBy, DateTimeOffset AddedAt);
