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

    /// <summary>
    /// Every certificate of a DER chain, the server's own first (OPC 10000-6 6.7.2.3: a sender may send its issuers after
    /// its certificate). At most 8; the caller disposes them.
    /// </summary>
    public static List<X509Certificate2> CertificateChain(byte[] chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var certificates = new List<X509Certificate2>();
        try
        {
            for (var at = 0; at < chain.Length && certificates.Count < 8;)
            {
                AsnDecoder.ReadEncodedValue(chain.AsSpan(at), AsnEncodingRules.DER, out _, out _, out var length);
                certificates.Add(X509CertificateLoader.LoadCertificate(chain.AsSpan(at, length)));
                at += length;
            }

            return certificates.Count > 0 ? certificates : throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, "the server sent no certificate");
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            foreach (var c in certificates)
            {
                c.Dispose();
            }

            throw new OpcUaProtocolException(StatusCode.BadCertificateInvalid, $"the server's certificate chain does not parse: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks the server's certificate with the chain it sent: the trust list may need CAs only the server has. Throws
    /// the trust list's refusal.
    /// </summary>
    private static void CheckSentChain(TrustList trust, byte[] sent)
    {
        var chain = CertificateChain(sent);
        try
        {
            trust.Check(chain[0], chain[1..]);
        }
        finally
        {
            foreach (var c in chain)
            {
                c.Dispose();
            }
        }
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

    /// <summary>
    /// The channel's security for the server's Basic256Sha256 endpoint. Its certificate is checked with the chain the
    /// endpoint describes; when that leaves it untrusted, <c>Recheck</c> asks the caller to check it again with the chain
    /// the server sends in its OpenSecureChannel response (which may carry intermediates the endpoint left out) and to
    /// close the channel before any session if that fails too.
    /// </summary>
    private static async Task<(ChannelSecurity? Security, X509Certificate2? ClientCertificate, TrustList? Recheck)> SecureAsync(OpcUaClientOptions options, CancellationToken ct)
    {
        if (string.Equals(options.Security, OpcUaClientOptions.SecurityNone, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, null);
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
        var trust = new TrustList(pki, options.Time, options.TrustedAuthorities);
        TrustList? recheck = null;
        try
        {
            CheckSentChain(trust, endpoint.ServerCertificate!);
        }
        catch (OpcUaProtocolException e) when (e.Status == StatusCode.BadCertificateUntrusted && !IsSelfSigned(serverCertificate))
        {
            // Issued by a CA the trust list cannot reach yet: the OPN's chain may link it.
            recheck = trust;
        }

        var clientCertificate = await ApplicationCertificate.LoadOrCreateAsync(pki, SessionMessages.ApplicationUri, options.Time, ct);
        try
        {
            return (new ChannelSecurity(options.Mode, clientCertificate, serverCertificate), clientCertificate, recheck);
        }
        catch
        {
            clientCertificate.Dispose();
            throw;
        }
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) => certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

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
