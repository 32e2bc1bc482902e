using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>What a route walk aims at: one tenant's plant and one of its API keys.</summary>
public sealed record RouteTarget(long TenantId, Plant Plant, long KeyId);
