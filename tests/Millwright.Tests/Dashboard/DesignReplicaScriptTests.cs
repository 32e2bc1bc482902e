using System.Diagnostics;
using System.Text.Json.Nodes;
using Millwright.Design;
using Millwright.Features.Design;

namespace Millwright.Tests.Dashboard;

/// <summary>
/// The dashboard's replica of a design (designtree.js, run by Node) merges exactly as the server's DesignTree: the same
/// concurrent operations from N replicas, delivered in several orders (each sender's in its order, as one WebSocket
/// each), end in the tree, fields and skipped moves the server's replica ends in; and a replica rebuilt from the
/// server's state message takes later and late operations as the server's own copy does.
/// </summary>
public sealed class DesignReplicaScriptTests
{
    [Fact]
    public async Task The_pages_replica_merges_any_interleaving_and_a_snapshot_as_the_servers_tree_does()
    {
        var cases = new JsonArray();
        var expected = new List<(List<string> Orders, string Snapshot)>();
        for (var seed = 1; seed <= 150; seed++)
        {
            var random = new Random(seed);
            var produced = Produce(random);
            var all = produced.SelectMany(p => p).ToList();
            var orders = new JsonArray();
            var descriptions = new List<string>();
            for (var order = 0; order < 3; order++)
            {
                var delivery = Interleave(produced, random);
                var tree = new DesignTree();
                foreach (var op in delivery)
                {
                    tree.Apply(op);
                }

                orders.Add(Ops(delivery));
                descriptions.Add(Describe(tree));
            }

            // The state message of a tree that has settled part of its log, and operations after it, some of them late.
            var original = new DesignTree();
            var late = all.Where((_, i) => i % 7 == 3).ToList();
            foreach (var op in all.Except(late))
            {
                original.Apply(op);
            }

            original.Settle(original.StampAt(original.Count / 2));
            var state = JsonNode.Parse(ChannelMessages.State(original.Snapshot()))!;
            var copy = DesignTree.FromSnapshot(original.Snapshot());
            var rest = late.Where(op => !copy.IsStale(op.Stamp)).OrderBy(_ => random.Next()).ToList();
            foreach (var op in rest)
            {
                copy.Apply(op);
            }

            cases.Add(new JsonObject { ["orders"] = orders, ["state"] = state, ["rest"] = Ops(rest) });
            expected.Add((descriptions, Describe(copy)));
        }

        var results = await RunNodeAsync(cases.ToJsonString());
        for (var i = 0; i < expected.Count; i++)
        {
            var got = results[i]!;
            Assert.Equal(expected[i].Orders, got["orders"]!.AsArray().Select(o => o!.GetValue<string>()).ToList());
            Assert.Equal(expected[i].Snapshot, got["snapshot"]!.GetValue<string>());
        }
    }

    /// <summary>2-5 replicas editing concurrently (creates, moves into each other's subtrees and the trash, field writes), each seeing some of the others' work.</summary>
    private static List<DesignOp>[] Produce(Random random)
    {
        var n = random.Next(2, 6);
        var replicas = Enumerable.Range(0, n).Select(_ => new DesignTree()).ToArray();
        var produced = Enumerable.Range(0, n).Select(_ => new List<DesignOp>()).ToArray();
        var delivered = new int[n, n];
        var nodes = 0;
        for (var round = 0; round < 60; round++)
        {
            var r = random.Next(n);
            var tree = replicas[r];
            var known = tree.Parents.Keys.Append(DesignTree.Root).ToList();
            var stamp = tree.Next($"r{r}");
            var op = random.Next(5) switch
            {
                0 => DesignOp.Move(stamp, $"n{nodes++}", known[random.Next(known.Count)]),
                1 or 2 when tree.Parents.Count > 0 => DesignOp.Move(stamp, tree.Parents.Keys.ElementAt(random.Next(tree.Parents.Count)),
                    random.Next(8) == 0 ? DesignTree.Trash : known[random.Next(known.Count)]),
                3 when tree.Parents.Count > 0 => DesignOp.Set(stamp, tree.Parents.Keys.ElementAt(random.Next(tree.Parents.Count)), "param.length", random.Next(3) == 0 ? null : $"{random.Next(100)} mm"),
                _ when tree.Parents.Count > 0 => DesignOp.Set(stamp, tree.Parents.Keys.ElementAt(random.Next(tree.Parents.Count)), "quantity", random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => DesignOp.Move(stamp, $"n{nodes++}", DesignTree.Root),
            };
            tree.Apply(op);
            produced[r].Add(op);
            var to = random.Next(n);
            var from = random.Next(n);
            var upTo = random.Next(delivered[to, from], produced[from].Count + 1);
            for (; delivered[to, from] < upTo; delivered[to, from]++)
            {
                replicas[to].Apply(produced[from][delivered[to, from]]);
            }
        }

        return produced;
    }

    /// <summary>All the operations, each sender's in its own order, the senders interleaved at random.</summary>
    private static List<DesignOp> Interleave(List<DesignOp>[] produced, Random random)
    {
        var next = new int[produced.Length];
        var delivery = new List<DesignOp>();
        while (delivery.Count < produced.Sum(p => p.Count))
        {
            var from = random.Next(produced.Length);
            if (next[from] < produced[from].Count)
            {
                delivery.Add(produced[from][next[from]++]);
            }
        }

        return delivery;
    }

    private static JsonNode Ops(IEnumerable<DesignOp> ops) => JsonNode.Parse(ChannelMessages.Ops(ops))!["ops"]!.DeepClone();

    /// <summary>The same text designtree.js's describe prints: nodes with parent and fields, then the skipped moves.</summary>
    private static string Describe(DesignTree tree) =>
        string.Join('\n', tree.Parents.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            $"{p.Key} < {p.Value} {string.Join(",", tree.FieldsOf(p.Key).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))}"))
        + $"\nskipped {string.Join(" ", tree.Skipped.Select(s => s.ToString()).Order(StringComparer.Ordinal))}";

    private static async Task<JsonArray> RunNodeAsync(string input)
    {
        var start = new ProcessStartInfo(NodePeers.Node, [Path.Combine(NodePeers.Folder, "design_replica.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"node failed ({process.ExitCode}): {await errors}");
        }

        return JsonNode.Parse(await output)!.AsArray();
    }
}
