using System.CommandLine;
using System.Security.Cryptography;
using Millwright.OpcUa;
using Millwright.OpcUa.Crypto;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright opcua trust opc.tcp://HOST:PORT [--thumbprint SHA256]</c>: shows the certificate the server's
/// Basic256Sha256 endpoint presents; with the thumbprint a person checked (on the machine's panel, from its vendor),
/// puts it in the trust list. Trust is never taken on first sight.
/// </summary>
internal static class OpcUaTrustCommand
{
    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "opc.tcp://HOST:PORT[/path]" };
        var thumbprint = new Option<string?>("--thumbprint") { Description = "The SHA-256 thumbprint you checked; the certificate is trusted only if it matches" };
        var pki = new Option<string>("--pki") { Description = "PKI directory (trusted/ receives the certificate)", DefaultValueFactory = _ => "./data/opcua/pki" };
        var command = new Command("trust", "Show the server's certificate, and with --thumbprint add it to the trust list");
        command.Arguments.Add(endpoint);
        command.Options.Add(thumbprint);
        command.Options.Add(pki);
        command.SetAction((result, ct) => TrustAsync(result.GetValue(endpoint)!, result.GetValue(thumbprint), Path.GetFullPath(result.GetValue(pki)!), Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> TrustAsync(string endpointText, string? thumbprint, string pki, TextWriter output, TextWriter error, CancellationToken ct)
    {
        Uri endpoint;
        try
        {
            endpoint = OpcUaClientOptions.ParseEndpoint(endpointText);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"millwright: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        try
        {
            var endpoints = await OpcUaClient.GetEndpointsAsync(new OpcUaClientOptions(endpoint), ct);
            var secured = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == Basic256Sha256.Uri && e.ServerCertificate is { Length: > 0 });
            if (secured is null)
            {
                await error.WriteLineAsync($"millwright: {endpointText} offers no Basic256Sha256 endpoint.");
                return ExitCodes.Unreachable;
            }

            using var certificate = OpcUaClient.LeafCertificate(secured.ServerCertificate!);
            var sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            await output.WriteLineAsync($"Subject:    {certificate.Subject}");
            await output.WriteLineAsync($"Valid:      {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}");
            await output.WriteLineAsync($"SHA-256:    {sha256}");
            if (thumbprint is null)
            {
                await output.WriteLineAsync("Not trusted yet: check the thumbprint with the machine, then run again with --thumbprint.");
                return ExitCodes.Ok;
            }

            if (!string.Equals(thumbprint.Replace(":", "", StringComparison.Ordinal), sha256, StringComparison.OrdinalIgnoreCase))
            {
                await error.WriteLineAsync($"millwright: the server presents SHA-256 {sha256}, not {thumbprint}; nothing was trusted.");
                return ExitCodes.InvalidInput;
            }

            await output.WriteLineAsync($"Trusted:    {new TrustList(pki, TimeProvider.System).Trust(certificate)}");
            return ExitCodes.Ok;
        }
        catch (OpcUaProtocolException e)
        {
            await error.WriteLineAsync($"millwright: {endpointText}: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await error.WriteLineAsync($"millwright: cannot reach {endpointText}: {e.Message}");
            return ExitCodes.Unreachable;
        }
    }
}
