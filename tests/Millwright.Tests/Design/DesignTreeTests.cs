using Millwright.Design;

namespace Millwright.Tests.Design;

public sealed class DesignTreeTests
{
    [Fact]
    public void Two_concurrent_moves_that_together_make_a_cycle_keep_the_earlier_and_skip_the_later_on_every_replica()
    {
        var (a, b) = (new DesignTree(), new DesignTree());
        var setup = new List<DesignOp>();
        foreach (var (node, parent) in new[] { ("frame", DesignTree.Root), ("motor", DesignTree.Root) })
        {
            var op = DesignOp.Move(a.Next("a"), node, parent);
            setup.Add(op);
            a.Apply(op);
        }

        setup.ForEach(op => b.Apply(op));

        // Concurrently: a puts the motor under the frame, b the frame under the motor.
        var moveA = DesignOp.Move(a.Next("a"), "motor", "frame");
        var moveB = DesignOp.Move(b.Next("b"), "frame", "motor");
        Assert.True(a.Apply(moveA));
        Assert.True(b.Apply(moveB));
        a.Apply(moveB);
        b.Apply(moveA);

        // Same counter, so the replica name orders them: a's move is first and stands; b's is reverted and b is told.
        Assert.Equal(a.Parents, b.Parents);
        Assert.Equal("frame", a.Parents["motor"]);
        Assert.Equal(DesignTree.Root, a.Parents["frame"]);
        Assert.Equal([moveB.Stamp], a.Skipped);
        Assert.Equal([moveB.Stamp], b.Skipped);
    }

    [Fact]
    public void Concurrent_writes_to_one_field_keep_the_later_stamp_whatever_the_arrival_order()
    {
        var (a, b) = (new DesignTree(), new DesignTree());
        var create = DesignOp.Move(a.Next("a"), "bolt", DesignTree.Root);
        a.Apply(create);
        b.Apply(create);
        var first = DesignOp.Set(a.Next("a"), "bolt", "quantity", "4");
        var second = DesignOp.Set(b.Next("b"), "bolt", "quantity", "6");
        a.Apply(first);
        a.Apply(second);
        b.Apply(second);
        b.Apply(first);

        Assert.Equal("6", a.FieldOf("bolt", "quantity"));
        Assert.Equal("6", b.FieldOf("bolt", "quantity"));
    }

    /// <summary>
    /// The convergence property: N replicas edit concurrently (creates, moves including into each other's subtrees and
    /// the trash, field writes), exchange their operations in a random interleaving per replica, and end in the
    /// same tree, the same fields and the same skipped operations, with every node still under the root or the trash.
    /// </summary>
    [Fact]
    public void Any_interleaving_of_concurrent_edits_from_N_replicas_converges_to_one_acyclic_tree()
    {
        for (var seed = 1; seed <= 300; seed++)
        {
            var random = new Random(seed);
            var n = random.Next(2, 6);
            var replicas = Enumerable.Range(0, n).Select(_ => new DesignTree()).ToArray();
            var produced = Enumerable.Range(0, n).Select(_ => new List<DesignOp>()).ToArray();
            var delivered = new int[n, n];
            var nodes = 0;
            for (var round = 0; round < 40; round++)
            {
                var r = random.Next(n);
                var tree = replicas[r];
                var known = tree.Parents.Keys.Append(DesignTree.Root).ToList();
                var stamp = tree.Next($"r{r}");
                var op = random.Next(4) switch
                {
                    0 => DesignOp.Move(stamp, $"n{nodes++}", known[random.Next(known.Count)]),
                    1 or 2 when tree.Parents.Count > 0 => DesignOp.Move(stamp, tree.Parents.Keys.ElementAt(random.Next(tree.Parents.Count)),
                        random.Next(8) == 0 ? DesignTree.Trash : known[random.Next(known.Count)]),
                    _ when tree.Parents.Count > 0 => DesignOp.Set(stamp, tree.Parents.Keys.ElementAt(random.Next(tree.Parents.Count)), "quantity", random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    _ => DesignOp.Move(stamp, $"n{nodes++}", DesignTree.Root),
                };
                tree.Apply(op);
                produced[r].Add(op);

                // Now and then a replica catches up on part of what another produced, in order per sender (one WebSocket each).
                var to = random.Next(n);
                var from = random.Next(n);
                var upTo = random.Next(delivered[to, from], produced[from].Count + 1);
                for (; delivered[to, from] < upTo; delivered[to, from]++)
                {
                    replicas[to].Apply(produced[from][delivered[to, from]]);
                }
            }

            // Deliver the rest, each replica in its own random order of senders.
            for (var to = 0; to < n; to++)
            {
                foreach (var from in Enumerable.Range(0, n).OrderBy(_ => random.Next()))
                {
                    for (; delivered[to, from] < produced[from].Count; delivered[to, from]++)
                    {
                        replicas[to].Apply(produced[from][delivered[to, from]]);
                    }
                }
            }

            var reference = replicas[0];
            foreach (var other in replicas.Skip(1))
            {
                Assert.Equal(reference.Parents.OrderBy(p => p.Key), other.Parents.OrderBy(p => p.Key));
                Assert.Equal(reference.Fields.OrderBy(f => f.Key.Node).ThenBy(f => f.Key.Field), other.Fields.OrderBy(f => f.Key.Node).ThenBy(f => f.Key.Field));
                Assert.Equal(reference.Skipped.Order(), other.Skipped.Order());
            }

            Assert.All(reference.Parents.Keys, node => Assert.True(reference.IsUnder(node, DesignTree.Root) || reference.IsUnder(node, DesignTree.Trash), $"seed {seed}: {node} is cut off"));
        }
    }

    [Fact]
    public void A_replica_built_from_a_snapshot_merges_later_and_late_operations_like_the_original()
    {
        for (var seed = 1; seed <= 50; seed++)
        {
            var random = new Random(seed);
            var original = new DesignTree();
            var late = new List<DesignOp>();
            for (var i = 0; i < 120; i++)
            {
                var stamp = original.Next(random.Next(3) == 0 ? "x" : "y");
                var known = original.Parents.Keys.Append(DesignTree.Root).ToList();
                var op = random.Next(3) switch
                {
                    0 => DesignOp.Move(stamp, $"n{i}", known[random.Next(known.Count)]),
                    1 when original.Parents.Count > 0 => DesignOp.Move(stamp, original.Parents.Keys.ElementAt(random.Next(original.Parents.Count)), known[random.Next(known.Count)]),
                    _ => DesignOp.Set(stamp, known[random.Next(known.Count)], "name", $"v{i}"),
                };

                // Some operations are held back and arrive late, after the snapshot.
                if (i > 80 && random.Next(4) == 0)
                {
                    late.Add(op);
                }
                else
                {
                    original.Apply(op);
                }
            }

            original.Settle(original.StampAt(original.Count - 30));
            var copy = DesignTree.FromSnapshot(original.Snapshot());
            Assert.Equal(original.Parents.OrderBy(p => p.Key), copy.Parents.OrderBy(p => p.Key));
            foreach (var op in late.Where(op => !original.IsStale(op.Stamp)).OrderBy(_ => random.Next()))
            {
                original.Apply(op);
                copy.Apply(op);
            }

            Assert.Equal(original.Parents.OrderBy(p => p.Key), copy.Parents.OrderBy(p => p.Key));
            Assert.Equal(original.Fields.OrderBy(f => f.Key.Node).ThenBy(f => f.Key.Field), copy.Fields.OrderBy(f => f.Key.Node).ThenBy(f => f.Key.Field));
        }
    }
}
