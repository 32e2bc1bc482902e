namespace Millwright.Features.Erp;

/// <summary>What one import did, in total and per line of the file.</summary>
internal sealed record ErpImportResult(int Created, int Updated, int Unchanged, int Refused, IReadOnlyList<ErpImportRow> Rows);

/// <summary>
/// One order of the file: <c>created</c>, <c>updated</c> (new quantity, due date or priority), <c>unchanged</c>, or
/// <c>refused</c> with the reason (a started order keeps its terms; an order's item and site never change).
/// </summary>
internal sealed record ErpImportRow(int Line, string ErpNumber, long? OrderId, string Outcome, string? Reason);
