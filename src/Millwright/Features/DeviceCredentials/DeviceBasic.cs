using System.Net.Http.Headers;
using System.Text;
namespace Millwright.Features.DeviceCredentials;

/// <summary>A machine's device credential sent as HTTP Basic authentication (username:secret): the telemetry route and stitch-file fetches.</summary>
internal static class DeviceBasic
{
    public static async Task<DeviceIdentity?> AuthenticateAsync(HttpContext http, DeviceAuthenticator devices, CancellationToken ct)
    {
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : await devices.AuthenticateAsync(decoded[..colon], decoded[(colon + 1)..], ct);
    }
}
