namespace Millwright.Features.PlantFiles;

/// <summary>What an import did, counted over machine types, sites, areas, lines and machines.</summary>
internal sealed record ImportSummary(string Tenant, int Created, int Updated, int Unchanged);
