using System.Text.Json.Nodes;
using Millwright.Design;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Design;

/// <summary>Parameters over the channel: recomputed on the server when an input changes and sent to everyone; broken formulas refused with the path.</summary>
public abstract class ParameterChannelTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    private static JsonNode? Value(DesignChannelClient client, string node, string field) =>
        client.Events("parameters").SelectMany(e => e.Message["values"]!.AsArray()).LastOrDefault(v => v!["node"]!.GetValue<string>() == node && v!["field"]!.GetValue<string>() == field);

    [Fact]
    public async Task A_formula_is_recomputed_when_its_input_changes_and_everyone_is_sent_the_new_value()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await using var bob = await DesignChannel.ConnectAsync(Host, project, t.AdminKey, "bob");
        await alice.CreateAsync("plate", DesignTree.Root, ("type", "part"), ("param.length", "1.2 m"), ("param.width", "400 mm"), ("param.thickness", "5 mm"));
        // Alice's edits and Bob's travel on two sockets; Bob edits the plate once he holds it, as his editor would let him.
        await Eventually.TrueAsync(() => bob.Read(tr => tr.FieldOf("plate", "param.thickness")) is not null, "bob to see alice's plate");
        await bob.SetAsync("plate", "param.mass", "= length * width * thickness * 7850 kg/m3 [kg]");
        await bob.SetAsync("plate", "constraint.light", "mass <= 20 kg");
        await DesignChannel.ConvergedAsync(t.Viewer, project, alice, bob);
        var mass = await Eventually.ValueAsync(() => Value(alice, "plate", "param.mass"), v => v is not null, "alice to be sent the mass");
        Assert.Equal("18.84", mass!["value"]!.GetValue<string>());
        Assert.Equal("kg", mass!["unit"]!.GetValue<string>());

        // Bob widens the plate: the mass and the constraint on it are recomputed and sent to both.
        await bob.SetAsync("plate", "param.width", "500 mm");
        await Eventually.ValueAsync(() => Value(alice, "plate", "param.mass")?["value"]?.GetValue<string>(), v => v == "23.55", "alice to see the new mass");
        await Eventually.ValueAsync(() => Value(bob, "plate", "constraint.light")?["holds"]?.GetValue<bool>(), v => v == false, "bob to see the constraint violated");

        var parameters = (await t.Viewer.GetJsonAsync($"/api/v1/design/projects/{project}/parameters")).AsArray();
        Assert.Equal("23.55", parameters.Single(p => p!["field"]!.GetValue<string>() == "param.mass")!["value"]!.GetValue<string>());
        Assert.False(parameters.Single(p => p!["field"]!.GetValue<string>() == "constraint.light")!["holds"]!.GetValue<bool>());

        // Someone joining later is sent every value after the state.
        await using var carol = await DesignChannel.ConnectAsync(Host, project, t.ViewerKey, "carol");
        await Eventually.ValueAsync(() => Value(carol, "plate", "param.mass")?["value"]?.GetValue<string>(), v => v == "23.55", "carol to be sent every value");
    }

    [Fact]
    public async Task A_cycle_a_unit_mismatch_and_removing_a_used_parameter_are_refused_with_the_path_and_change_nothing()
    {
        using var t = await Host.CreateTenantAsync();
        var project = await DesignChannel.CreateProjectAsync(t.Operator);
        await using var alice = await DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "alice");
        await alice.CreateAsync("frame", DesignTree.Root, ("type", "assembly"), ("name", "Frame"), ("param.span", "2 m"));
        await alice.CreateAsync("beam", "frame", ("type", "part"), ("param.length", "= frame.span - 20 mm"), ("param.mass", "12 kg"));
        var before = await DesignChannel.ConvergedAsync(t.Viewer, project, alice);

        await alice.SetAsync("frame", "param.span", "= beam.length + 20 mm");
        var cycle = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Count >= 1, "the cycle to be refused");
        Assert.Equal("refused", cycle[0].Message["code"]!.GetValue<string>());
        var message = cycle[0].Message["message"]!.GetValue<string>();
        Assert.Contains("root / frame (Frame)", message, StringComparison.Ordinal);
        Assert.Contains("cycle: frame.span → beam.length → frame.span", message, StringComparison.Ordinal);

        await alice.SetAsync("beam", "param.weight", "= mass + length");
        var mismatch = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Count >= 2, "the mismatch to be refused");
        Assert.Contains("unit mismatch", mismatch[1].Message["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("root / frame (Frame) / beam", mismatch[1].Message["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await alice.SetAsync("frame", "param.span", null);
        var removal = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Count >= 3, "removing the used span to be refused");
        Assert.Contains("beam.length would break", removal[2].Message["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await alice.SetAsync("beam", "param.length", "= frame.span + 1 kg");
        var again = await Eventually.ValueAsync(() => alice.Events("error"), e => e.Count >= 4, "a mismatched formula to be refused");
        Assert.Contains("unit mismatch", again[3].Message["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(before, await DesignChannel.ConvergedAsync(t.Viewer, project, alice));
        var length = (await t.Viewer.GetJsonAsync($"/api/v1/design/projects/{project}/parameters")).AsArray().Single(p => p!["field"]!.GetValue<string>() == "param.length")!;
        Assert.Equal("1.98", length["value"]!.GetValue<string>());
        Assert.Equal("m", length["unit"]!.GetValue<string>());
    }

    public sealed class OnSqlite(SqliteHost host) : ParameterChannelTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : ParameterChannelTests(host), IClassFixture<PostgresHost>;
}
