using System.Net;
using Millwright.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Design;

/// <summary>The design channel with real WebSocket clients: merging, acknowledgement, presence, refusals and isolation.</summary>
public abstract class DesignChannelTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Two_editors_see_each_others_edits_and_end_with_the_servers_structure()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await using var bob = await DesignChannel.ConnectAsync(Host, project, t.AdminKey, "bob", keyInHeader: false);

        await alice.CreateAsync("frame", DesignTree.Root, ("name", "Frame"), ("type", "assembly"));
        await bob.CreateAsync("motor", DesignTree.Root, ("name", "Motor"), ("type", "part"), ("quantity", "1"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, bob);

        // Concurrent edits of one field and of the structure: both replicas and the server keep the same winner.
        await Task.WhenAll(alice.SetAsync("motor", "quantity", "2"), bob.SetAsync("motor", "quantity", "3"), bob.MoveAsync("motor", "frame"));
        var state = await DesignChannel.ConvergedAsync(t.Viewer, project, alice, bob);
        Assert.Contains("motor < frame", state, StringComparison.Ordinal);
        Assert.Equal(alice.Read(tr => tr.FieldOf("motor", "quantity")), bob.Read(tr => tr.FieldOf("motor", "quantity")));

        // Every write of the field is in its history, in stamp order, with its author.
        var history = (await t.Viewer.GetJsonAsync($"/api/v1/design/projects/{project}/history?node=motor&field=quantity")).AsArray();
        Assert.Equal(["1", "2", "3"], history.Select(h => h!["value"]!.GetValue<string>()).Order());
        Assert.Equal(alice.Read(tr => tr.FieldOf("motor", "quantity")), history[^1]!["value"]!.GetValue<string>());
        var moves = (await t.Viewer.GetJsonAsync($"/api/v1/design/projects/{project}/history?node=motor&field=parent")).AsArray();
        Assert.Equal(["root", "frame"], moves.Select(h => h!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Two_concurrent_moves_making_a_cycle_revert_the_later_one_and_tell_its_author()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await using var bob = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "bob");
        await alice.CreateAsync("a", DesignTree.Root, ("type", "assembly"));
        await alice.CreateAsync("b", DesignTree.Root, ("type", "assembly"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, bob);

        // Neither has seen the other's move when it makes its own: together they would cut a and b off the root.
        // Both stamp and apply locally before either sends, so neither has seen the other's.
        var moves = await Task.WhenAll(alice.MoveAsync("a", "b"), bob.MoveAsync("b", "a"));
        var (aUnderB, bUnderA) = (moves[0], moves[1]);
        var state = await DesignChannel.ConvergedAsync(t.Viewer, project, alice, bob);

        var (earlier, later, laterAuthor, otherAuthor) = aUnderB.Stamp < bUnderA.Stamp ? (aUnderB, bUnderA, bob, alice) : (bUnderA, aUnderB, alice, bob);
        Assert.Contains($"{earlier.Node} < {earlier.Parent}", state, StringComparison.Ordinal);
        Assert.Contains($"{later.Node} < root", state, StringComparison.Ordinal);
        var reverted = await Eventually.ValueAsync(() => laterAuthor.Events("reverted"), r => r.Count > 0, "the later move's author to be told");
        Assert.Equal(later.Stamp.Counter, reverted[0].Message["counter"]!.GetValue<long>());
        Assert.Contains("cycle", reverted[0].Message["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(otherAuthor.Events("reverted"));
        Assert.True(alice.Read(tr => tr.Skipped.Contains(later.Stamp)));
    }

    [Fact]
    public async Task Presence_says_who_looks_at_what_and_a_viewer_reads_but_cannot_edit()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("pump", DesignTree.Root, ("name", "Pump"));
        await using var viewer = await DesignChannel.ConnectAsync(Host, project, t.ViewerKey, "watcher");
        Assert.True(DesignChannel.Last(viewer, "welcome")["readOnly"]!.GetValue<bool>());
        // Alice's edit reaches the viewer in its welcome or, if the server applied it after that, as a broadcast.
        await Eventually.TrueAsync(() => viewer.Read(tr => tr.FieldOf("pump", "name")) == "Pump", "alice's part to reach the viewer");

        await alice.PresenceAsync("pump");
        var seen = await Eventually.ValueAsync(() => viewer.Events("presence"), p => p.Any(e => e.Message["node"]?.GetValue<string>() == "pump"), "alice's presence");
        Assert.Equal(alice.Replica, seen.Last().Message["replica"]!.GetValue<string>());
        var structure = await t.Viewer.GetJsonAsync($"/api/v1/design/projects/{project}/structure");
        Assert.Contains(structure["present"]!.AsArray(), p => p!["node"]?.GetValue<string>() == "pump");

        await viewer.SetAsync("pump", "name", "Hijacked");
        var error = await Eventually.ValueAsync(() => viewer.Events("error"), e => e.Count > 0, "the viewer's refusal");
        Assert.Equal("read-only", error[0].Message["code"]!.GetValue<string>());
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, viewer);
        Assert.Equal("Pump", viewer.Read(tr => tr.FieldOf("pump", "name")));
    }

    [Fact]
    public async Task Malformed_refused_and_reused_operations_get_an_error_and_a_resync_and_change_nothing()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("name", "Frame"));
        await alice.CreateAsync("bolt", "frame", ("type", "part"), ("quantity", "4"));
        var before = await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        await alice.SendTextAsync("{\"type\":\"ops\",\"ops\":[{\"counter\":-1}]");
        await alice.SendTextAsync("{\"type\":\"ops\",\"ops\":[{\"counter\":99,\"kind\":\"teleport\",\"node\":\"bolt\"}]}");
        await alice.SetAsync("bolt", "quantity", "-3");
        await alice.CreateAsync("nut", "ghost");
        await alice.CreateAsync("washer", "bolt", ("type", "part"));
        await alice.SendTextAsync("{\"type\":\"ops\",\"ops\":[{\"counter\":1,\"kind\":\"set\",\"node\":\"frame\",\"field\":\"name\",\"value\":\"Other\"}]}");
        await alice.SendTextAsync("{\"type\":\"ops\",\"ops\":[{\"counter\":999999999999,\"kind\":\"set\",\"node\":\"frame\",\"field\":\"name\",\"value\":\"Far\"}]}");

        var errors = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Count >= 7, "seven errors");
        var messages = errors.Select(e => e.Message["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("quantity must be a positive number", StringComparison.Ordinal) && m.Contains("root / frame / bolt", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("no node ghost", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("bolt is a part", StringComparison.Ordinal) && m.Contains("frame (Frame)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("was used already", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("ahead of the project's clock", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message["code"]!.GetValue<string>() == "malformed");
        Assert.Equal(before, await DesignChannel.ConvergedAsync(t.Viewer, project, alice));
    }

    [Fact]
    public async Task A_unique_part_in_a_second_parent_is_refused_with_the_path_where_it_already_is()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("name", "Frame"));
        await alice.CreateAsync("housing", DesignTree.Root, ("type", "assembly"), ("name", "Housing"));
        await alice.CreateAsync("core", "frame", ("type", "part"), ("name", "Core"), ("number", "CO-1"), ("unique", "true"));
        await alice.CreateAsync("bolt", "frame", ("type", "part"), ("number", "BL-1"));
        // A part that is not unique may sit in several parents, and a unique one may move.
        await alice.CreateAsync("bolt-2", "housing", ("type", "part"), ("number", "BL-1"));
        await alice.CreateAsync("spare", "housing", ("type", "part"));
        await alice.MoveAsync("core", "housing");
        await alice.MoveAsync("core", "frame");
        var before = await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        // The same unique number under a second parent, given to a part there; and marking unique a number that already
        // has two parents.
        await alice.SetAsync("spare", "number", "CO-1");
        await alice.SetAsync("bolt-2", "number", "CO-1");
        await alice.SetAsync("bolt", "unique", "true");

        // An edit sent after a refused one may be sent again after the resync and refused again: count kinds, not messages.
        const string core = "part CO-1 may have one parent only and is already at root / frame (Frame) / core (Core)";
        const string bolt = "part BL-1 may have one parent only and is already at root / housing (Housing) / bolt-2";
        var errors = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Any(m => m.Message["message"]!.GetValue<string>().Contains(bolt, StringComparison.Ordinal)), "the last refusal");
        var messages = errors.Select(e => e.Message["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains(core, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.True(m.Contains(core, StringComparison.Ordinal) || m.Contains(bolt, StringComparison.Ordinal), m));
        Assert.All(errors, e => Assert.Equal("refused", e.Message["code"]!.GetValue<string>()));

        // Nothing of it reached the log or the replica.
        Assert.Equal(before, await DesignChannel.ConvergedAsync(t.Viewer, project, alice));
    }

    [Fact]
    public async Task An_editor_that_was_offline_merges_its_edits_when_it_returns()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        var bob = await DesignChannel.ConnectAsync(Host, project, t.AdminKey, "bob");
        await alice.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("material", "steel"));
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, bob);

        await bob.DropAsync();
        await alice.SetAsync("frame", "material", "aluminium");
        await alice.CreateAsync("cover", "frame", ("type", "part"));
        await bob.EditAsync(stamp => [DesignOp.Move(stamp(), "handle", "frame"), DesignOp.Set(stamp(), "handle", "type", "part"), DesignOp.Set(stamp(), "frame", "name", "Frame")], send: false);
        await using var back = await bob.ReconnectAsync(Host.BaseAddress, project, t.AdminKey);

        var state = await DesignChannel.ConvergedAsync(t.Viewer, project, alice, back);
        Assert.Contains("handle < frame", state, StringComparison.Ordinal);
        Assert.Contains("cover < frame", state, StringComparison.Ordinal);
        Assert.Contains("material=aluminium,name=Frame", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconnect_refused_while_the_old_connection_lingers_gets_in_once_it_closes()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var bob = await DesignChannel.ConnectAsync(Host, project, t.AdminKey, "bob");
        await bob.CreateAsync("frame", DesignTree.Root, ("type", "assembly"));
        await bob.EditAsync(stamp => [DesignOp.Set(stamp(), "frame", "name", "Frame")], send: false);

        // The server still holds the old connection (a network that dropped without a close), so the first tries are refused.
        var back = bob.ReconnectAsync(Host.BaseAddress, project, t.AdminKey);
        await Eventually.TrueAsync(() => bob.RefusedReconnects >= 1, "a refused reconnect");
        Assert.False(back.IsCompleted);
        await bob.DropAsync();
        await using var returned = await back.WaitAsync(TimeSpan.FromSeconds(30));

        var state = await DesignChannel.ConvergedAsync(t.Viewer, project, returned);
        Assert.Contains("name=Frame", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenants_key_and_a_second_connection_of_one_replica_are_refused()
    {
        using var a = await Host.CreateTenantAsync();
        using var b = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(a.Operator);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DesignChannel.ConnectAsync(Host, project, b.AdminKey, "intruder"));
        Assert.Contains("no design project", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await b.Viewer.GetJsonAsync("/api/v1/design/projects")).AsArray());
        using (var plain = await b.Admin.GetAsync($"/api/v1/design/projects/{project}/channel"))
        {
            Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        }

        await using var first = await DesignChannel.ConnectAsync(Host, project, a.OperatorKey, "desk");
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => DesignChannel.ConnectAsync(Host, project, a.OperatorKey, "desk"));
        Assert.Contains("connected already", twice.Message, StringComparison.Ordinal);
        Assert.Null(first.CloseStatus);
        await first.CreateAsync("still-here", DesignTree.Root);
        await DesignChannel.ConvergedAsync(a.Viewer, project, first);
    }

    public sealed class OnSqlite(SqliteHost host) : DesignChannelTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : DesignChannelTests(host), IClassFixture<PostgresHost>;
}
