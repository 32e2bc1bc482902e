using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>The <c>role</c> query parameter of the bid and job lists: the caller's side, buyer (the default) or provider.</summary>
internal static class SharingRoles
{
    public static bool IsProvider(string? role) => role switch
    {
        null or "buyer" => false,
        "provider" => true,
        _ => throw ApiProblem.Invalid("role", "must be buyer or provider"),
    };
}
