using System.Net;
using System.Text.Json.Nodes;
using Millwright.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Design;

/// <summary>Helpers of the design tests: a project, connected replicas, and the state they and the server hold.</summary>
internal static class DesignChannel
{
    public static async Task<long> CreateProjectAsync(HttpClient client, string name = "Pump") =>
        (await client.PostJsonAsync("/api/v1/design/projects", new { name = $"{name} {Guid.NewGuid():N}"[..30], productFamily = "pumps" }, HttpStatusCode.Created)).Id();

    public static Task<DesignChannelClient> ConnectAsync(TestHost host, long project, string key, string name, bool keyInHeader = true)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return DesignChannelClient.ConnectAsync(host.BaseAddress, project, key, name, keyInHeader, ct: deadline.Token);
    }

    /// <summary>Every node with its parent and fields, one line each, sorted: equal strings mean equal replicas.</summary>
    public static string Describe(DesignTree tree) => string.Join('\n', tree.Parents.OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => $"{p.Key} < {p.Value} {string.Join(",", tree.FieldsOf(p.Key).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))}"));

    /// <summary>The same description of the server's structure, read over REST.</summary>
    public static async Task<string> DescribeServerAsync(HttpClient client, long project)
    {
        var structure = await client.GetJsonAsync($"/api/v1/design/projects/{project}/structure");
        return string.Join('\n', structure["nodes"]!.AsArray().Select(n => n!)
            .OrderBy(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(n => $"{n["id"]!.GetValue<string>()} < {n["parent"]!.GetValue<string>()} " +
                string.Join(",", n["fields"]!.AsObject().OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value?.GetValue<string>()}"))));
    }

    /// <summary>Waits until every client has nothing pending and all hold what the server holds; returns that state.</summary>
    public static async Task<string> ConvergedAsync(HttpClient client, long project, params DesignChannelClient[] replicas)
    {
        try
        {
            await Eventually.TrueAsync(() => replicas.All(r => r.Pending == 0), "every edit acknowledged");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; pending {string.Join(",", replicas.Select(r => r.Pending))}, close {string.Join(",", replicas.Select(r => $"{r.CloseStatus} {r.CloseReason}"))}; " +
                $"events: {string.Join(" | ", replicas.SelectMany(r => r.Events()).Select(m => m.Message.ToJsonString()))}", e);
        }
        var server = await DescribeServerAsync(client, project);
        foreach (var replica in replicas)
        {
            await Eventually.ValueAsync(() => replica.Read(Describe), state => state == server, $"{replica.Replica} to hold the server's state:\n{server}");
        }

        return server;
    }

    public static JsonNode Last(DesignChannelClient client, string type) => client.Events(type).LastOrDefault()?.Message
        ?? throw new Xunit.Sdk.XunitException($"no {type} message among {string.Join(", ", client.Events().Select(e => e.Type))}");
}
