using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Embroidery;

/// <summary>Small designs for the tests, and uploading them.</summary>
internal static class TestDesigns
{
    /// <summary>A 20 mm red square with a 10 mm blue disc on it: fill, two colours, a colour change.</summary>
    public const string Badge = """
        <svg xmlns="http://www.w3.org/2000/svg" width="20mm" height="20mm" viewBox="0 0 20 20">
          <rect x="1" y="1" width="18" height="18" fill="#c62828"/>
          <circle cx="10" cy="10" r="5" fill="#1f3a93"/>
        </svg>
        """;

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string body, string query, string contentType = "image/svg+xml") =>
        await UploadAsync(client, Encoding.UTF8.GetBytes(body), query, contentType);

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] body, string query, string contentType = "image/svg+xml")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync($"/api/v1/embroidery/designs?{query}", content);
    }

    public static async Task<JsonNode> CreateAsync(HttpClient client, string name, string svg = Badge)
    {
        using var response = await UploadAsync(client, svg, $"name={Uri.EscapeDataString(name)}&fabric=woven");
        return await HttpAssertions.ExpectAsync(response, HttpStatusCode.Created);
    }

    public static HttpClient Device(TestHost host, string username, string secret)
    {
        var client = host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        return client;
    }
}
