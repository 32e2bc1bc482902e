using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Telemetry;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Production;

/// <summary>
/// A small shop in its own tenant: two milling machines and a painting machine on one line, a machine type
/// whose state and counters the platform follows, a bracket made from a blank by milling then painting.
/// </summary>
public sealed class ProductionCell : IAsyncDisposable
{
    private ProductionCell(TestTenant tenant) => Tenant = tenant;

    public TestTenant Tenant { get; }

    public long SiteId { get; private set; }

    public long LineId { get; private set; }

    public long TypeId { get; private set; }

    public long BracketId { get; private set; }

    public long BlankId { get; private set; }

    public Dictionary<string, long> MachineIds { get; } = [];

    public Dictionary<string, CommandedMachine> Machines { get; } = [];

    public static async Task<ProductionCell> CreateAsync(TestHost host, double unitSeconds = 0.1)
    {
        var cell = new ProductionCell(await host.CreateTenantAsync("prod"));
        var admin = cell.Tenant.Admin;
        cell.SiteId = (await admin.PostJsonAsync("/api/v1/sites", new { name = "Works", timeZone = "UTC" }, HttpStatusCode.Created)).Id();
        var area = await admin.PostJsonAsync("/api/v1/areas", new { siteId = cell.SiteId, name = "Shop floor" }, HttpStatusCode.Created);
        cell.LineId = (await admin.PostJsonAsync("/api/v1/lines", new { areaId = area.Id(), name = "Cell 1" }, HttpStatusCode.Created)).Id();
        cell.TypeId = await CountingTypeAsync(admin, "Cell machine");

        foreach (var (name, capability) in new[] { ("mill-a", "milling"), ("mill-b", "milling"), ("paint-1", "painting") })
        {
            var id = (await admin.PostJsonAsync("/api/v1/machines", new { lineId = cell.LineId, typeId = cell.TypeId, name }, HttpStatusCode.Created)).Id();
            cell.MachineIds[name] = id;
            await admin.PutJsonAsync($"/api/v1/machines/{id}/capabilities", new { capabilities = new[] { capability } }, HttpStatusCode.OK);
            var credential = await admin.PostJsonAsync($"/api/v1/machines/{id}/credentials", new { }, HttpStatusCode.Created);
            cell.Machines[name] = await CommandedMachine.ConnectAsync(host.MqttPort, cell.Tenant.Slug, name,
                credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
        }

        cell.BlankId = (await admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "BLANK", name = "Steel blank", unitCost = 2.0 }, HttpStatusCode.Created)).Id();
        cell.BracketId = (await admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "BRKT", name = "Bracket", unitCost = 9.0 }, HttpStatusCode.Created)).Id();
        await admin.PostJsonAsync("/api/v1/inventory/movements", new { itemId = cell.BlankId, siteId = cell.SiteId, kind = "receipt", quantity = 100 }, HttpStatusCode.Created);
        await admin.PutJsonAsync($"/api/v1/items/{cell.BracketId}/routing", new
        {
            operations = new object[]
            {
                new { id = "10", name = "Mill", capability = "milling", setupSeconds = 0.2, unitSeconds, program = "O1001", materials = new[] { new { itemId = cell.BlankId, quantity = 1 } } },
                new { id = "20", name = "Paint", capability = "painting", unitSeconds, program = "RAL5015" },
            },
        }, HttpStatusCode.OK);
        return cell;
    }

    /// <summary>
    /// A machine type as <see cref="CommandedMachine"/> reports: power (running above 1 kW), an alarm code (down when not
    /// 0), and part and scrap counters; returns its id.
    /// </summary>
    public static async Task<long> CountingTypeAsync(HttpClient admin, string name)
    {
        var type = (await admin.PostJsonAsync("/api/v1/machine-types", new
        {
            name,
            tags = new object[]
            {
                new { name = "power", unit = "kW", dataType = "float", min = 0, max = 100 },
                new { name = "alarm", dataType = "int", min = 0, max = 9999 },
                new { name = "parts", unit = "parts", dataType = "int", kind = "counter", min = 0 },
                new { name = "scrap", unit = "parts", dataType = "int", kind = "counter", min = 0 },
            },
        }, HttpStatusCode.Created)).Id();
        await admin.PutJsonAsync($"/api/v1/machine-types/{type}/state-rules", new
        {
            rules = new object[] { new { state = "down", when = "alarm != 0" }, new { state = "running", when = "power > 1" } },
            alarmTag = "alarm", partCounter = "parts", scrapCounter = "scrap",
        }, HttpStatusCode.OK);
        return type;
    }

    public Task<JsonNode> OrderAsync(int quantity, TimeSpan due, int priority = 10, string? number = null) =>
        Tenant.Operator.PostJsonAsync("/api/v1/orders", new
        {
            number, customer = "ACME", itemId = BracketId, siteId = SiteId, quantity, dueAt = DateTimeOffset.UtcNow + due, priority, release = true,
        }, HttpStatusCode.Created);

    /// <summary>Waits until one of the named machines gets a job command; returns that machine and the command.</summary>
    public async Task<(CommandedMachine Machine, JsonObject Job)> NextJobAsync(TimeSpan within, params string[] names)
    {
        (CommandedMachine, JsonObject)? TakeJob()
        {
            foreach (var machine in names.Select(n => Machines[n]))
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

        var taken = await Eventually.ValueAsync(TakeJob, t => t is not null, $"a job for one of {string.Join(", ", names)}", within);
        return taken!.Value;
    }

    /// <summary>
    /// One of the mills gets the order's milling job, accepts it and reports <paramref name="parts"/> made, until the
    /// order shows them; returns the mill, the job command and the order as it then stands.
    /// </summary>
    public async Task<(CommandedMachine Mill, JsonObject Job, JsonNode Order)> MillAsync(long orderId, int parts, TimeSpan within)
    {
        static JsonNode Milling(JsonNode order) => order["jobs"]!.AsArray().Single(j => j!["seq"]!.GetValue<int>() == 0)!;
        var (mill, job) = await NextJobAsync(within, "mill-a", "mill-b");
        await mill.AnswerAsync(job, "accepted");
        await WaitForOrderAsync(orderId, o => Milling(o)["status"]!.GetValue<string>() == "running", within);
        await mill.ReportAsync(power: 5);
        await mill.ReportAsync(power: 5, parts: parts);
        var order = await WaitForOrderAsync(orderId, o => Milling(o)["good"]!.GetValue<long>() == parts, within);
        return (mill, job, order);
    }

    /// <summary>
    /// Makes the machine one the platform polls over Modbus TCP (from the server on <paramref name="port"/>) and
    /// waits until the poller has reported its link: from then on the platform knows its transport is Modbus.
    /// </summary>
    public async Task PollOverModbusAsync(TestHost host, string machine, int port)
    {
        await Tenant.Operator.PutJsonAsync($"/api/v1/machines/{MachineIds[machine]}/modbus", new
        {
            host = "127.0.0.1", port, unitId = 1, intervalMs = 200, timeoutMs = 500,
            points = new object[] { new { tag = "power", area = "holding", address = 0, dataType = "float32" } },
        }, HttpStatusCode.OK);
        var connectivity = host.Service<MachineConnectivity>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (connectivity.Of(Tenant.Id, MachineIds[machine]) is not { Source: "modbus" })
        {
            Assert.True(DateTime.UtcNow < deadline, $"the Modbus poller never reported {machine}");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls the order until <paramref name="done"/> holds, failing with the last answer after <paramref name="within"/>.</summary>
    public Task<JsonNode> WaitForOrderAsync(long id, Func<JsonNode, bool> done, TimeSpan within) =>
        Eventually.ValueAsync(() => Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{id}"), done, $"order {id} to get there", within);

    public async ValueTask DisposeAsync()
    {
        foreach (var machine in Machines.Values)
        {
            await machine.DisposeAsync();
        }

        Tenant.Dispose();
    }
}
