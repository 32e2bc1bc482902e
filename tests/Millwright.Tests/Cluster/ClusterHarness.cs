using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Api;
using Millwright.Features.Cluster;
using Millwright.Security;
using Millwright.Storage;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Several cluster nodes in one test process, sharing one PostgreSQL database and one <see cref="ManualClock"/>.
/// Nodes tick only when a test ticks them, so a "dead" or "paused" node is simply one the test stops ticking
/// while its in-memory leases stay as they were.
/// </summary>
internal sealed class ClusterHarness(IDatabase database, int buckets = ClusterOptions.DefaultBuckets)
{
    // A cluster of its own per harness, so tests sharing a database do not see each other's nodes.
    public string Name { get; } = "c" + Guid.NewGuid().ToString("N")[..8];

    public ManualClock Clock { get; } = new();

    public IDatabase Database => database;

    /// <summary>A node on the shared clock, or on a clock of its own (one that stops while the node is "paused").</summary>
    public ClusterNode NewNode(string id, ManualClock? clock = null) =>
        new(database, new ClusterOptions(Name, id) { Buckets = buckets }, clock ?? Clock, NullLogger<ClusterNode>.Instance);

    public async Task<ClusterNode> JoinAsync(string id, ManualClock? clock = null)
    {
        var node = NewNode(id, clock);
        await node.JoinAsync();
        return node;
    }

    /// <summary>Ticks every node given, in order, <paramref name="rounds"/> times.</summary>
    public static async Task TickAsync(int rounds, params ClusterNode[] nodes)
    {
        for (var i = 0; i < rounds; i++)
        {
            foreach (var node in nodes)
            {
                await node.TickAsync();
            }
        }
    }

    /// <summary>
    /// The single-owner invariant at this instant: every lease a node believes valid is the lease row as stored
    /// (same owner, same token), so no bucket has two nodes believing they own it. Returns the holder per bucket.
    /// </summary>
    public async Task<Dictionary<int, string>> AssertSingleOwnerAsync(params ClusterNode[] nodes)
    {
        await using var c = await database.OpenAsync();
        var rows = (await c.QueryAsync<(int Bucket, string? Owner, long Token)>(
            "SELECT bucket, owner, token FROM cluster_leases WHERE cluster = @Name", new { Name })).ToDictionary(r => r.Bucket);
        var holders = new Dictionary<int, string>();
        foreach (var node in nodes)
        {
            foreach (var lease in node.Leases)
            {
                Assert.True(holders.TryAdd(lease.Bucket, node.NodeId), $"bucket {lease.Bucket} is held by {holders.GetValueOrDefault(lease.Bucket)} and {node.NodeId}");
                Assert.Equal((node.NodeId, lease.Token), (rows[lease.Bucket].Owner, rows[lease.Bucket].Token));
            }
        }

        return holders;
    }

    /// <summary>Every bucket is held by its intended owner among <paramref name="live"/>.</summary>
    public async Task AssertConvergedAsync(params ClusterNode[] live)
    {
        var holders = await AssertSingleOwnerAsync(live);
        var ids = live.Select(n => n.NodeId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(buckets, holders.Count);
        for (var b = 0; b < buckets; b++)
        {
            Assert.Equal(Rendezvous.OwnerOf(b, ids), holders[b]);
        }
    }

    public async Task<List<(string? From, string? To, string Reason)>> HandoversAsync()
    {
        await using var c = await database.OpenAsync();
        return (await c.QueryAsync<(string? From, string? To, string Reason)>(
            "SELECT from_node, to_node, reason FROM cluster_handovers WHERE cluster = @Name ORDER BY id", new { Name })).AsList();
    }

    /// <summary>A tenant with one machine (site, area, line, type), written straight into the store; returns (tenant, machine).</summary>
    public async Task<(long Tenant, long Machine)> CreateMachineAsync(string slug)
    {
        await using var c = await database.OpenAsync();
        var tenant = await c.ExecuteScalarAsync<long>("INSERT INTO tenants (slug, name, created_at, updated_at) VALUES (@slug, @slug, 0, 0) RETURNING id", new { slug });
        var site = await c.ExecuteScalarAsync<long>("INSERT INTO sites (tenant_id, name, time_zone, created_at, updated_at) VALUES (@tenant, 's', 'UTC', 0, 0) RETURNING id", new { tenant });
        var area = await c.ExecuteScalarAsync<long>("INSERT INTO areas (tenant_id, site_id, name, created_at, updated_at) VALUES (@tenant, @site, 'a', 0, 0) RETURNING id", new { tenant, site });
        var line = await c.ExecuteScalarAsync<long>("INSERT INTO lines (tenant_id, area_id, name, created_at, updated_at) VALUES (@tenant, @area, 'l', 0, 0) RETURNING id", new { tenant, area });
        var type = await c.ExecuteScalarAsync<long>("INSERT INTO machine_types (tenant_id, name, tags, created_at, updated_at) VALUES (@tenant, 't', '[]', 0, 0) RETURNING id", new { tenant });
        var machine = await c.ExecuteScalarAsync<long>(
            "INSERT INTO machines (tenant_id, line_id, type_id, name, created_at, updated_at) VALUES (@tenant, @line, @type, 'm1', 0, 0) RETURNING id", new { tenant, line, type });
        return (tenant, machine);
    }

    public Sessions Sessions => new(database, Clock);

    public static Caller TrackerOf(long tenant) => new(0, "state-tracker", tenant, Role.TenantAdmin);
}
