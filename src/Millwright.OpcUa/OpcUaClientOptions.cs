using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa;

/// <summary>
/// Where and how to connect. <see cref="Security"/> is "None" or "Basic256Sha256"; the latter uses
/// <see cref="Mode"/> and needs <see cref="PkiDirectory"/> (own/ holds the client certificate, made on first use;
/// trusted/ the server certificates to accept; rejected/ receives refused ones). With <see cref="User"/> set,
/// ActivateSession sends a user name token, its password encrypted per the token policy.
/// </summary>
internal sealed record OpcUaClientOptions(Uri Endpoint)
{
    public const string SecurityNone = "None";

    public const string SecurityBasic256Sha256 = "Basic256Sha256";

    public string Security { get; init; } = SecurityNone;

    public Crypto.MessageSecurityMode Mode { get; init; } = Crypto.MessageSecurityMode.SignAndEncrypt;

    public string? PkiDirectory { get; init; }

    /// <summary>More trusted CA certificates (DER) beside PKI/trusted: the platform gives a tenant's uploaded CAs to its links only.</summary>
    public IReadOnlyList<byte[]> TrustedAuthorities { get; init; } = [];

    public string? User { get; init; }

    public string? Password { get; init; }

    public string SessionName { get; init; } = "millwright";

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TransportLimits Limits { get; init; } = TransportLimits.Default;

    public DecodingLimits Decoding { get; init; } = DecodingLimits.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Opens the TCP connection (host, port); the platform passes one that checks its egress policy and connects to
    /// the checked address. Without one the client connects itself.
    /// </summary>
    public Func<string, int, CancellationToken, Task<System.Net.Sockets.Socket>>? Connector { get; init; }

    /// <summary>opc.tcp://host:port[/path] with the default port 4840; anything else is refused before connecting.</summary>
    public static Uri ParseEndpoint(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp" || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{text}' is not an opc.tcp://HOST:PORT endpoint URL.");
        }

        return uri;
    }
}
