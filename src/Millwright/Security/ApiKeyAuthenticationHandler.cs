using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Millwright.Storage;

namespace Millwright.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer mwk_...</c> or <c>X-Api-Key: mwk_...</c> against the stored
/// key hashes, and answers 401 and 403 as problem details that say what was wrong.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDatabase database,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const int MaxKeyLength = 200;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey();
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length > MaxKeyLength || !Secrets.TrySplitApiKey(key, out var publicId, out _))
        {
            return AuthenticateResult.Fail("The API key is malformed; keys look like mwk_<id>_<secret>.");
        }

        await using var connection = await database.OpenAsync(Context.RequestAborted);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            "SELECT id, tenant_id, name, role, secret_hash, revoked_at FROM api_keys WHERE public_id = @publicId",
            new { publicId });
        if (row is null || row.RevokedAt is not null || !Secrets.VerifyApiKey(key, row.SecretHash) || !Roles.TryParse(row.Role, out var role))
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var caller = new Caller(row.Id, row.Name, row.TenantId, role);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    private string? ReadKey()
    {
        if (Request.Headers.TryGetValue("X-Api-Key", out var header) && header.Count > 0)
        {
            return header[0];
        }

        var authorization = Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync("Unauthorized", result.Failure?.Message
            ?? "An API key is required: send it as 'Authorization: Bearer mwk_...' or 'X-Api-Key: mwk_...'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "unknown";
        await WriteProblemAsync("Forbidden", role == "platform_admin"
            ? "A platform admin key manages tenants and platform keys; use a key of the tenant for its data."
            : $"A key with role '{role}' may not do this.");
    }

    private async Task WriteProblemAsync(string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        });

    private sealed class KeyRow
    {
        public long Id { get; set; }
        public long? TenantId { get; set; }
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string SecretHash { get; set; } = "";
        public long? RevokedAt { get; set; }
    }
}
