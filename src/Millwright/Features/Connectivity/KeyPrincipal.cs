using Millwright.Security;

namespace Millwright.Features.Connectivity;

/// <summary>An MQTT client that logged in with an API key (user name anything, password the key).</summary>
internal sealed record KeyPrincipal(Caller Caller, string TenantSlug);
