namespace Millwright.Features.Erp;

internal static class ErpOutcome
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Refused = "refused";
}
