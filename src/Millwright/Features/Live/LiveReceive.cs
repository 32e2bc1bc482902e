namespace Millwright.Features.Live;

/// <summary>How waiting for one client message ended.</summary>
internal enum LiveReceive
{
    Text,
    Binary,
    TooBig,

    /// <summary>The client sent a close frame.</summary>
    Closed,

    /// <summary>The connection itself decided to close (a timeout, a revoked key) while waiting.</summary>
    Interrupted,

    /// <summary>The connection broke without a close handshake.</summary>
    Gone,
}
