namespace Millwright.Scheduling.Erp;

/// <summary>Where a value sits in a B2MML document: the element's path (docs/erp.md) and its line and column.</summary>
public sealed record ErpPlace(int Line, int Column, string Path);
