namespace Millwright.OpcUa;

/// <summary>OPC 10000-6 5.2.2.12: indexes into the response's string table, plus text and an inner status.</summary>
internal sealed record DiagnosticInfo(int? SymbolicId, int? NamespaceUri, int? Locale, int? LocalizedText, string? AdditionalInfo,
    StatusCode? InnerStatusCode, DiagnosticInfo? Inner);
