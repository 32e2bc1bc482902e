namespace Millwright.Scheduling.Erp;

/// <summary>A material an operation used, in the item's own unit.</summary>
public sealed record PerformanceMaterial(string Sku, string Unit, double Quantity);
