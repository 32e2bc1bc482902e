using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>What every design channel connection uses, resolved once.</summary>
internal sealed record DesignServices(DesignHub Hub, ApiKeyVerifier Verifier, TimeProvider Clock, ILogger<DesignConnection> Logger);
