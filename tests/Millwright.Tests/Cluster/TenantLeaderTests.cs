using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterLeaders;
using Millwright.Features.Production;
using Millwright.Testing;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Cluster;

/// <summary>
/// A tenant's production is planned by one node, its leader, on two real nodes (PostgreSQL and the private
/// RabbitMQ): the order is posted on the other node, the machine's device is connected to the other node, and still
/// the job reaches it once, its answer and its part counts reach the leader, and the job completes. When the leader
/// leaves, the other node takes the tenant, sends the held job again and finishes it.
/// </summary>
public sealed class TenantLeaderTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tenant_is_planned_by_its_leader_only_and_the_job_crosses_to_a_device_on_the_other_node_and_survives_the_leader_leaving()
    {
        var name = TestRabbitMq.NewClusterName();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        await using var aStopped = a;
        await using var bStopped = b;
        try
        {
            ClusterPlant plant;
            string adminKey;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                var platformKey = await ClusterPlant.PlatformKeyAsync(store);
                plant = await ClusterPlant.CreateAsync(a, platformKey);
                using var platform = a.Client(platformKey);
                adminKey = (await platform.PostJsonAsync($"/api/v1/tenants/{plant.TenantId}/api-keys",
                    new { name = "admin", role = "tenant_admin", reason = "cluster test" }, HttpStatusCode.Created))["key"]!.GetValue<string>();
            }

            // Both nodes agree on one leader once the join has settled.
            var leader = (await Eventually.ValueAsync(
                () => Task.FromResult(new[] { a, b }.Where(n => n.Service<ClusterNode>().Leads(plant.TenantId)).ToList()),
                l => l.Count == 1, "exactly one node to lead the tenant", Within)).Single();
            var other = leader == a ? b : a;

            using var client = other.Client(adminKey);
            var (itemId, siteId, machineId) = await MakeProductionAsync(client, plant);
            var credential = await client.PostJsonAsync($"/api/v1/machines/{machineId}/credentials", new { }, HttpStatusCode.Created);
            await using var machine = await CommandedMachine.ConnectAsync(other.MqttPort, plant.Slug, "mill-1",
                credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
            await machine.ReportAsync(power: 0);

            var order = await client.PostJsonAsync("/api/v1/orders", new
            {
                customer = "ACME", itemId, siteId, quantity = 6, dueAt = DateTimeOffset.UtcNow.AddHours(2), priority = 10, release = true,
            }, HttpStatusCode.Created);
            var orderId = order.Id();

            var job = await machine.NextAsync("job", Within);
            var jobId = job["jobId"]!.GetValue<long>();
            await machine.AnswerAsync(job, "accepted");
            await WaitForJobAsync(client, orderId, j => j["status"]!.GetValue<string>() == "running");
            await machine.ReportAsync(power: 5, parts: 2);
            await WaitForJobAsync(client, orderId, j => j["good"]!.GetValue<long>() == 2);

            Assert.DoesNotContain(machine.Commands, c => c["type"]?.GetValue<string>() == "job");
            Assert.True(leader.Service<ProductionPlanner>().Plans > 0);
            Assert.Equal(0, other.Service<ProductionPlanner>().Plans);
            Assert.True(other.Service<PlannerRelay>().Sent > 0, "the other node relayed the order, the answer and the counts");

            // The leader leaves: the other node leads the tenant, sends the held job again, and counts it to the end.
            await leader.StopAsync();
            await Eventually.TrueAsync(() => other.Service<ClusterNode>().Leads(plant.TenantId), "the remaining node to lead the tenant", Within);
            var resent = await machine.NextAsync("job", Within);
            Assert.Equal(jobId, resent["jobId"]!.GetValue<long>());
            await machine.AnswerAsync(resent, "accepted");

            // A machine's new owner takes its counters' first reading as their baseline (docs/cluster.md): a machine
            // reports its counters every few seconds, and the parts made between the last report the old owner saw
            // and the first the new one sees are not counted.
            await machine.ReportAsync(power: 5);
            await machine.ReportAsync(power: 5, parts: 4);
            var done = await WaitForJobAsync(client, orderId, j => j["status"]!.GetValue<string>() == "done");
            Assert.Equal(6, done["good"]!.GetValue<long>());
            // The held job is sent again before the new leader's first planning round, which may come after "done".
            await Eventually.TrueAsync(() => other.Service<ProductionPlanner>().Plans > 0, "the remaining node to plan the tenant", Within);
        }
        finally
        {
            await TestRabbitMq.DeleteQueuesAsync(Features.ClusterIngest.IngestQueues.Ingest(name));
        }
    }

    /// <summary>A machine with part counters and a capability, and an item routed to it: what the planner needs to run the machine.</summary>
    private static async Task<(long ItemId, long SiteId, long MachineId)> MakeProductionAsync(HttpClient client, ClusterPlant plant)
    {
        var areaId = (await client.GetJsonAsync($"/api/v1/lines/{plant.LineId}"))["areaId"]!.GetValue<long>();
        var siteId = (await client.GetJsonAsync($"/api/v1/areas/{areaId}"))["siteId"]!.GetValue<long>();
        var type = await ProductionCell.CountingTypeAsync(client, "cell");
        var machine = (await client.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type, name = "mill-1" }, HttpStatusCode.Created)).Id();
        await client.PutJsonAsync($"/api/v1/machines/{machine}/capabilities", new { capabilities = new[] { "milling" } }, HttpStatusCode.OK);
        var item = (await client.PostJsonAsync("/api/v1/inventory-items", new { sku = "BRKT", name = "Bracket", unitCost = 9.0 }, HttpStatusCode.Created)).Id();
        await client.PutJsonAsync($"/api/v1/items/{item}/routing", new
        {
            operations = new object[] { new { id = "10", name = "Mill", capability = "milling", setupSeconds = 0.2, unitSeconds = 0.1, program = "O1001" } },
        }, HttpStatusCode.OK);
        return (item, siteId, machine);
    }

    private static Task<JsonNode> WaitForJobAsync(HttpClient client, long orderId, Func<JsonNode, bool> done) =>
        Eventually.ValueAsync(
            async () => (await client.GetJsonAsync($"/api/v1/orders/{orderId}"))["jobs"]!.AsArray().Single()!,
            done, $"the job of order {orderId} to get there", Within);
}
