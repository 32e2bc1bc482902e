namespace Millwright.OpcUa;

/// <summary>The parts of OPC 10000-4 7.14 the client uses: where, how secured, and which user tokens it takes.</summary>
internal sealed record EndpointDescription(string? EndpointUrl, int SecurityMode, string? SecurityPolicyUri, IReadOnlyList<UserTokenPolicy> UserIdentityTokens, byte[]? ServerCertificate);
