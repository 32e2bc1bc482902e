namespace Millwright.Features.Quotas;

/// <summary>The broker account of a tenant: its devices' and keys' connections, sessions and retained messages count together.</summary>
internal static class QuotaAccounts
{
    public static string Of(long tenantId) => $"tenant/{tenantId}";
}
