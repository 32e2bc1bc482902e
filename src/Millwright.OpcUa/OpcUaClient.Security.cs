using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Millwright.OpcUa.Crypto;
using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa;

/// <summary>
/// Securing a session with Basic256Sha256: find the server's endpoint for the policy and mode (GetEndpoints over an
/// unsecured channel, as OPC 10000-4 5.4.4 allows), refuse its certificate unless the trust list has it, open the
/// channel with our application certificate, and sign the session both ways (10000-4 5.6.2, 5.6.3).
/// </summary>
internal sealed partial class OpcUaClient
{
    /// <summary>The endpoints a server describes, over a channel with security None and no session.</summary>
    public static async Task<IReadOnlyList<EndpointDescription>> GetEndpointsAsync(OpcUaClientOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var channel = await SecureChannel.OpenAsync(options.Endpoint, options.Limits, options.Time, options.Connector, ct);
        var w = new UaWriter();
        w.WriteNodeId(new NodeId(0, EncodingIds.GetEndpointsRequest));
        RequestHeader.Write(w, NodeId.Null, options.Time.GetUtcNow().UtcDateTime, 1, options.RequestTimeout);
        SessionMessages.WriteGetEndpoints(w, options.Endpoint.OriginalString);
        var response = await channel.RequestAsync(w.ToArray(), ct);
        var (r, _) = RequestHeader.ReadResponse(response, EncodingIds.GetEndpointsResponse, "GetEndpoints", options.Decoding);
        return r.ReadList(SessionMessages.ReadEndpoint);
    }

    /// <summary>The first certificate of a DER chain (a server may send its issuers after its own).</summary>
    public static X509Certificate2 LeafCertificate(byte[] chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        try
        {
            AsnDecoder.ReadEncodedValue(chain, AsnEncodingRules.DER, out _, out _, out var length);
            return X509CertificateLoader.LoadCertificate(chain.AsSpan(0, length));
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, $"the server's certificate does not parse: {e.Message}", e);
        }
    }

    private static async Task<(ChannelSecurity? Security, X509Certificate2? ClientCertificate)> SecureAsync(OpcUaClientOptions options, CancellationToken ct)
    {
        if (string.Equals(options.Security, OpcUaClientOptions.SecurityNone, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        if (!string.Equals(options.Security, Basic256Sha256.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new OpcUaProtocolException(StatusCode.BadSecurityPolicyRejected, $"unknown security policy '{options.Security}' (None or Basic256Sha256)");
        }

        var pki = options.PkiDirectory ?? throw new ArgumentException("Basic256Sha256 needs a PKI directory for the client certificate and trust list", nameof(options));
        var endpoints = await GetEndpointsAsync(options, ct);
        var endpoint = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == Basic256Sha256.Uri && e.SecurityMode == (int)options.Mode && e.ServerCertificate is { Length: > 0 });
        if (endpoint is null)
        {
            var offered = string.Join(", ", endpoints.Select(e => $"{e.SecurityPolicyUri?.Split('#')[^1]} {(MessageSecurityMode)e.SecurityMode}").Distinct());
            throw new OpcUaProtocolException(StatusCode.BadSecurityModeRejected,
                $"the server offers no Basic256Sha256 {options.Mode} endpoint (it offers: {(offered.Length == 0 ? "nothing" : offered)})");
        }

        using var serverCertificate = LeafCertificate(endpoint.ServerCertificate!);
        new TrustList(pki, options.Time).Check(serverCertificate);
        var clientCertificate = await ApplicationCertificate.LoadOrCreateAsync(pki, SessionMessages.ApplicationUri, options.Time, ct);
        try
        {
            return (new ChannelSecurity(options.Mode, clientCertificate, serverCertificate), clientCertificate);
        }
        catch
        {
            clientCertificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the server's CreateSession signature (its key over our certificate and nonce: proof it holds the key)
    /// and returns ours for ActivateSession (our key over its certificate and nonce).
    /// </summary>
    private static byte[] SignSession(ChannelSecurity security, CreatedSession created, byte[] clientDer, byte[] clientNonce)
    {
        if (created.ServerNonce is not { Length: >= Basic256Sha256.NonceLength } serverNonce)
        {
            throw new OpcUaProtocolException(StatusCode.BadNonceInvalid, "the server's session nonce is shorter than Basic256Sha256 requires");
        }

        if (created.ServerSignature is not { Length: > 0 } serverSignature || !security.VerifyServerSignature([.. clientDer, .. clientNonce], serverSignature))
        {
            throw new OpcUaProtocolException(StatusCode.BadApplicationSignatureInvalid, "the server's CreateSession signature does not verify with its certificate");
        }

        return security.SignWithClientKey([.. created.ServerCertificate ?? [], .. serverNonce]);
    }
}
