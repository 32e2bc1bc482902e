namespace Millwright.OpcUa.Server;

/// <summary>A method call's result (OPC 10000-4 5.11.2.2): its status, output arguments, and a status per input argument when one is at fault.</summary>
internal sealed record MethodOutcome(StatusCode Status, IReadOnlyList<Variant> Outputs, IReadOnlyList<StatusCode>? InputResults = null);
