using System.Globalization;
using System.Security.Cryptography;
using Millwright.Api;
using Millwright.OpcUa;
using Millwright.OpcUa.Crypto;
using Millwright.Security;

namespace Millwright.Features.OpcUa;

/// <summary>
/// Each tenant's OPC UA PKI (DATA/opcua/tenants/ID: the client certificate in own/, trusted and rejected server
/// certificates), and trusting a machine's server certificate: the platform fetches what the endpoint presents
/// (through the egress policy) and trusts it only when its SHA-256 thumbprint is the one the person checked.
/// </summary>
internal static partial class OpcUaTrust
{
    public static string PkiOf(Hosting.ServeOptions options, long tenant) =>
        Path.Combine(options.Store.DataDirectory, "opcua", "tenants", tenant.ToString(CultureInfo.InvariantCulture));

    public static async Task<OpcUaTrustedDto> TrustAsync(long tenant, OpcUaConnectionRow row, OpcUaTrustInput input, EgressPolicy egress,
        Hosting.ServeOptions options, TimeProvider clock, CancellationToken ct)
    {
        var wanted = input.Thumbprint?.Replace(":", "", StringComparison.Ordinal).Trim() ?? "";
        if (!Sha256Hex().IsMatch(wanted))
        {
            throw ApiProblem.Invalid("thumbprint", "the certificate's SHA-256 thumbprint: 64 hexadecimal digits (colons allowed)");
        }

        IReadOnlyList<EndpointDescription> endpoints;
        try
        {
            endpoints = await OpcUaClient.GetEndpointsAsync(new OpcUaClientOptions(new Uri(row.Endpoint))
            {
                Time = clock, RequestTimeout = TimeSpan.FromSeconds(10),
                Connector = (host, port, token) => egress.ConnectAsync(tenant, host, port, token),
            }, ct);
        }
        catch (Exception e) when (e is OpcUaProtocolException or EgressDeniedException or System.Net.Sockets.SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new ApiProblem(StatusCodes.Status502BadGateway, "Bad gateway", $"could not ask {row.Endpoint} for its certificate: {e.Message}");
        }

        var secured = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == Basic256Sha256.Uri && e.ServerCertificate is { Length: > 0 })
            ?? throw ApiProblem.Conflict($"{row.Endpoint} offers no Basic256Sha256 endpoint, so there is no certificate to trust.");
        using var certificate = Leaf(secured.ServerCertificate!);
        var presented = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (!string.Equals(presented, wanted, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiProblem.Conflict($"the server presents SHA-256 {presented}, not {wanted}; nothing was trusted.");
        }

        new TrustList(PkiOf(options, tenant), clock).Trust(certificate);
        return new OpcUaTrustedDto(certificate.Subject, presented, certificate.NotAfter.ToUniversalTime());
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Leaf(byte[] der)
    {
        try
        {
            return OpcUaClient.LeafCertificate(der);
        }
        catch (OpcUaProtocolException e)
        {
            throw new ApiProblem(StatusCodes.Status502BadGateway, "Bad gateway", e.Message);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial System.Text.RegularExpressions.Regex Sha256Hex();
}
