namespace Millwright.Features.OpcUa;

/// <summary>An input argument of a command's method: the command's member it is taken from and its OPC UA built-in type.</summary>
internal sealed record OpcUaArgumentInput(string? Member, string? DataType);

/// <summary>
/// The method a command type calls: the object it is called on, the method, its input arguments in order, and the
/// answer status a Good result stands for (default <c>accepted</c>, <c>cancelled</c> for a cancel).
/// </summary>
internal sealed record OpcUaMethodInput(string? ObjectId, string? MethodId, IReadOnlyList<OpcUaArgumentInput>? Arguments, string? Result);

/// <summary>A node whose value is a member of the machine's answer (jobId, good, scrap).</summary>
internal sealed record OpcUaAnswerFieldInput(string? Member, string? NodeId);

/// <summary>The status node the platform monitors for answers, what its values mean, and the nodes of the answer's other members.</summary>
internal sealed record OpcUaAnswerInput(string? StatusNode, IReadOnlyDictionary<string, string>? Statuses, IReadOnlyList<OpcUaAnswerFieldInput>? Fields);

/// <summary>How commands reach an OPC UA machine (docs/opcua.md, "Commands"): a method per command type, and optionally a monitored status.</summary>
internal sealed record OpcUaCommandMapInput(IReadOnlyDictionary<string, OpcUaMethodInput>? Methods, int? TimeoutMs, OpcUaAnswerInput? Answer);

internal sealed record OpcUaArgumentDto(string Member, string DataType);

internal sealed record OpcUaMethodDto(string ObjectId, string MethodId, IReadOnlyList<OpcUaArgumentDto> Arguments, string Result);

internal sealed record OpcUaAnswerFieldDto(string Member, string NodeId);

internal sealed record OpcUaAnswerDto(string StatusNode, IReadOnlyDictionary<string, string> Statuses, IReadOnlyList<OpcUaAnswerFieldDto> Fields);

internal sealed record OpcUaCommandMapDto(IReadOnlyDictionary<string, OpcUaMethodDto> Methods, int TimeoutMs, OpcUaAnswerDto? Answer);
