namespace Millwright.OpcUa;

/// <summary>OPC 10000-4 7.6: a continuation point is set when the server has more references for BrowseNext.</summary>
internal sealed record BrowseResult(StatusCode Status, byte[]? ContinuationPoint, IReadOnlyList<ReferenceDescription> References);
