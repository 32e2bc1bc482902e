using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Embroidery;

/// <summary>
/// An embroidery room in a test's tenant: machines with the <c>embroidery</c> capability and their own device
/// credentials, connected over MQTT as <see cref="CommandedMachine"/>s (the test answers their commands), and an
/// embroidered polo whose one operation needs that capability.
/// </summary>
public sealed class EmbroideryShop : IAsyncDisposable
{
    private readonly Dictionary<string, (string Username, string Secret)> _credentials = [];
    private readonly List<HttpClient> _devices = [];

    private EmbroideryShop(TestHost host, TestTenant tenant)
    {
        Host = host;
        Tenant = tenant;
    }

    public TestHost Host { get; }

    public TestTenant Tenant { get; }

    public long SiteId { get; private set; }

    public long ItemId { get; private set; }

    public Dictionary<string, long> MachineIds { get; } = [];

    public Dictionary<string, CommandedMachine> Machines { get; } = [];

    public IReadOnlyList<string> Names => [.. MachineIds.Keys];

    public static async Task<EmbroideryShop> CreateAsync(TestHost host, TestTenant tenant, params string[] names)
    {
        var shop = new EmbroideryShop(host, tenant);
        var admin = tenant.Admin;
        shop.SiteId = (await admin.PostJsonAsync("/api/v1/sites", new { name = "Stitch room", timeZone = "UTC" }, HttpStatusCode.Created)).Id();
        var area = await admin.PostJsonAsync("/api/v1/areas", new { siteId = shop.SiteId, name = "Floor" }, HttpStatusCode.Created);
        var line = (await admin.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = "Embroidery" }, HttpStatusCode.Created)).Id();
        var type = (await admin.PostJsonAsync("/api/v1/machine-types", new
        {
            name = "Embroidery machine",
            tags = new object[]
            {
                new { name = "power", unit = "kW", dataType = "float", min = 0, max = 100 }, new { name = "parts", dataType = "int", kind = "counter", min = 0 },
                new { name = "design_stitch", dataType = "int", min = 0 }, new { name = "needle", dataType = "int", min = 0 },
                new { name = "needle_x", unit = "mm", dataType = "float" }, new { name = "needle_y", unit = "mm", dataType = "float" },
                new { name = "stitch_count", dataType = "int", kind = "counter", min = 0 }, new { name = "thread_breaks", dataType = "int", kind = "counter", min = 0 },
            },
        }, HttpStatusCode.Created)).Id();
        await admin.PutJsonAsync($"/api/v1/machine-types/{type}/state-rules", new
        {
            rules = new object[] { new { state = "running", when = "power > 0.1" } }, partCounter = "parts",
        }, HttpStatusCode.OK);
        foreach (var name in names)
        {
            var id = (await admin.PostJsonAsync("/api/v1/machines", new { lineId = line, typeId = type, name }, HttpStatusCode.Created)).Id();
            shop.MachineIds[name] = id;
            await admin.PutJsonAsync($"/api/v1/machines/{id}/capabilities", new { capabilities = new[] { "embroidery" } }, HttpStatusCode.OK);
            var credential = await admin.PostJsonAsync($"/api/v1/machines/{id}/credentials", new { }, HttpStatusCode.Created);
            shop._credentials[name] = (credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
            shop.Machines[name] = await CommandedMachine.ConnectAsync(host.MqttPort, tenant.Slug, name, shop._credentials[name].Username, shop._credentials[name].Secret);
        }

        shop.ItemId = (await admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "POLO", name = "Embroidered polo", unitCost = 9.0 }, HttpStatusCode.Created)).Id();
        await admin.PutJsonAsync($"/api/v1/items/{shop.ItemId}/routing", new
        {
            operations = new object[] { new { id = "10", name = "Embroider", capability = "embroidery", setupSeconds = 60, unitSeconds = 30, program = "design" } },
        }, HttpStatusCode.OK);
        return shop;
    }

    /// <summary>An HTTP client that authenticates as the named machine (its device credential, HTTP Basic).</summary>
    public HttpClient Device(string name)
    {
        var client = TestDesigns.Device(Host, _credentials[name].Username, _credentials[name].Secret);
        _devices.Add(client);
        return client;
    }

    /// <summary>Orders <paramref name="quantity"/> pieces of the design, released at once; returns the order's id.</summary>
    public async Task<long> OrderAsync(long designId, int quantity, bool release = true)
    {
        var placed = await Tenant.Operator.PostJsonAsync($"/api/v1/embroidery/designs/{designId}/orders", new
        {
            customer = "Rowing club", itemId = ItemId, siteId = SiteId, quantity, dueAt = DateTimeOffset.UtcNow.AddDays(2), release,
        }, HttpStatusCode.Created);
        return placed["order"]!.Id();
    }

    /// <summary>Waits until one of the machines gets a job command; returns that machine and the command.</summary>
    public async Task<(CommandedMachine Machine, JsonObject Job)> NextJobAsync(TimeSpan within)
    {
        (CommandedMachine, JsonObject)? Take()
        {
            foreach (var machine in Machines.Values)
            {
                while (machine.Commands.TryDequeue(out var command))
                {
                    if (command["type"]?.GetValue<string>() == "job")
                    {
                        return (machine, command);
                    }
                }
            }

            return null;
        }

        return (await Eventually.ValueAsync(Take, t => t is not null, "a job for one of the embroidery machines", within))!.Value;
    }

    public Task<JsonNode> WaitForOrderAsync(long id, Func<JsonNode, bool> done, TimeSpan within) =>
        Eventually.ValueAsync(() => Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{id}"), done, $"order {id} to get there", within);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _devices)
        {
            client.Dispose();
        }

        foreach (var machine in Machines.Values)
        {
            await machine.DisposeAsync();
        }
    }
}
