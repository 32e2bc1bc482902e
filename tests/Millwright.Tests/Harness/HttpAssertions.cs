using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Millwright.Tests.Harness;

/// <summary>Requests that assert their status code and return the JSON body, so a test reads as its story.</summary>
public static class HttpAssertions
{
    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body, TestHost.Json);
        return await ExpectAsync(response, expected);
    }

    public static async Task<JsonNode> PutJsonAsync(this HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(path, body, TestHost.Json);
        return await ExpectAsync(response, expected);
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await ExpectAsync(response, expected);
    }

    public static async Task DeleteAsync(this HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.DeleteAsync(path);
        await ExpectAsync(response, expected);
    }

    /// <summary>Sends <paramref name="json"/> exactly as given, for bodies no serializer would write.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request);
    }

    /// <summary>The items of a list page.</summary>
    public static async Task<JsonArray> ListAsync(this HttpClient client, string path) =>
        (await client.GetJsonAsync(path))["items"]!.AsArray();

    public static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Asserts an RFC 9457 problem details answer whose detail names the problem.</summary>
    public static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body["status"]?.GetValue<int>());
        var detail = body["detail"]?.GetValue<string>() ?? "";
        Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
        return body;
    }

    public static async Task<JsonNode> SendExpectingProblemAsync(this HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode status, string detailContains)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: TestHost.Json);
        }

        using var response = await client.SendAsync(request);
        return await AssertProblemAsync(response, status, detailContains);
    }

    public static long Id(this JsonNode node) => node["id"]!.GetValue<long>();
}
