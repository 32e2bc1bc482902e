namespace Millwright.OpcUa;

/// <summary>OPC 10000-4 5.11.2: the method's status, per-argument statuses and its output arguments.</summary>
internal sealed record CallResult(StatusCode Status, IReadOnlyList<StatusCode> InputArgumentResults, IReadOnlyList<Variant> OutputArguments);
