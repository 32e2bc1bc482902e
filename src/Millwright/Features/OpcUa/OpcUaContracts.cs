namespace Millwright.Features.OpcUa;

/// <summary>A node the platform monitors and the tag its values become; sampling and deadband as OPC 10000-4 5.12 has them.</summary>
internal sealed record OpcUaNodeInput(string? NodeId, string? Tag, int? SamplingIntervalMs, double? Deadband);

/// <summary>
/// A machine's OPC UA server: its endpoint (opc.tcp://HOST:PORT, anonymous), security (None or Basic256Sha256 with
/// mode Sign or SignAndEncrypt), how often the server publishes, the node map, and how it takes commands (optional).
/// </summary>
internal sealed record OpcUaConnectionInput(
    string? Endpoint, string? Security, int? PublishingIntervalMs, IReadOnlyList<OpcUaNodeInput>? Nodes, string? SecurityMode = null, OpcUaCommandMapInput? Commands = null);

/// <summary>The SHA-256 thumbprint of the server certificate a person checked and wants trusted for this tenant.</summary>
internal sealed record OpcUaTrustInput(string? Thumbprint);

internal sealed record OpcUaNodeDto(string NodeId, string Tag, int SamplingIntervalMs, double Deadband);

internal sealed record OpcUaConnectionDto(
    long MachineId, string Endpoint, string Security, int PublishingIntervalMs, IReadOnlyList<OpcUaNodeDto> Nodes, DateTimeOffset UpdatedAt,
    Messages.ConnectionState? Connection, string SecurityMode, OpcUaCommandMapDto? Commands);

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
