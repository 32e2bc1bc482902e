namespace Millwright.OpcUa.Services;

/// <summary>What CreateSession answers (OPC 10000-4 5.6.2.2) that the client uses to activate the session.</summary>
internal sealed record CreatedSession(
    NodeId SessionId, NodeId AuthenticationToken, byte[]? ServerCertificate, byte[]? ServerNonce, IReadOnlyList<EndpointDescription> Endpoints, byte[]? ServerSignature);
