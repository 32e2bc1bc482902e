using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Millwright.Simulator.Provisioning;

/// <summary>
/// The few REST calls the provisioner makes, with the platform's failures turned into one
/// <see cref="ProvisioningException"/> that says what to fix.
/// </summary>
internal sealed class PlatformApi(HttpClient http) : IDisposable
{
    public static PlatformApi Create(Uri baseAddress, string key)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new PlatformApi(http);
    }

    /// <summary>The object of <paramref name="route"/> with exactly this name (and parent, when given), or null.</summary>
    public async Task<JsonObject?> FindAsync(string route, string name, string? parentField, long? parentId, CancellationToken cancellationToken)
    {
        var query = $"/api/v1/{route}?name={Uri.EscapeDataString(name)}&limit=100" + (parentField is null ? "" : $"&{parentField}={parentId}");
        var page = await SendAsync(HttpMethod.Get, query, null, cancellationToken) ?? throw Nonsense(query);
        return page["items"]?.AsArray().OfType<JsonObject>()
            .FirstOrDefault(o => o["name"]?.GetValue<string>() == name
                && (parentField is null || o[parentField]?.GetValue<long>() == parentId));
    }

    /// <summary>Finds by name, or creates with <paramref name="body"/>; returns the id either way.</summary>
    public async Task<long> EnsureAsync(string route, string name, object body, CancellationToken cancellationToken, string? parentField = null, long? parentId = null)
    {
        var found = await FindAsync(route, name, parentField, parentId, cancellationToken)
            ?? await SendAsync(HttpMethod.Post, $"/api/v1/{route}", body, cancellationToken)
            ?? throw Nonsense(route);
        return found["id"]!.GetValue<long>();
    }

    public async Task<JsonObject> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, path, body, cancellationToken) ?? throw Nonsense(path);

    public async Task PutAsync(string path, object body, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>PUT; false when the route does not exist (404) on this platform version.</summary>
    public async Task<bool> TryPutAsync(string path, object body, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Put, path, body, cancellationToken);
            return true;
        }
        catch (ProvisioningException e) when (e.InnerException is HttpRequestException { StatusCode: HttpStatusCode.NotFound })
        {
            return false;
        }
    }

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProvisioningException(ProvisioningFailure.Unreachable, $"the API at {http.BaseAddress} does not answer: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new ProvisioningException(ProvisioningFailure.Unauthorized,
                    $"the API refused the key ({(int)response.StatusCode}): it needs a tenant admin or operator key of the tenant to simulate");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ProvisioningException(ProvisioningFailure.Rejected, $"{method} {path} answered {(int)response.StatusCode}: {text}",
                    new HttpRequestException(text, null, response.StatusCode));
            }

            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
    }

    private static ProvisioningException Nonsense(string path) =>
        new(ProvisioningFailure.Rejected, $"{path} answered without the expected JSON object");

    public void Dispose() => http.Dispose();
}
