using System.Text.Json.Nodes;
using Millwright.Features.Live;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Tests.Live;

/// <summary>Snapshots of many or large machines come in pieces.</summary>
public sealed class LiveMessagesTests
{
    [Fact]
    public void A_snapshot_of_many_machines_is_split_into_messages_of_at_most_64()
    {
        var latest = new LatestValues();
        long[] machines = [.. Enumerable.Range(1, 150).Select(i => (long)i)];

        var counts = Split(machines, latest);

        Assert.Equal([64, 64, 22], counts);
    }

    [Fact]
    public void A_snapshot_stops_taking_machines_once_a_message_passes_a_MiB()
    {
        var latest = new LatestValues();
        long[] machines = [.. Enumerable.Range(1, 10).Select(i => (long)i)];
        foreach (var machine in machines)
        {
            // About 270 KB of text per machine: four fit under 1 MiB, the fifth is taken and closes the message.
            var readings = Enumerable.Range(0, 1000).Select(t => new Reading($"tag{t}", 1, TagValue.Of(new string('x', 256)))).ToList();
            latest.Apply(new DeviceMessage(1, machine, "test", DateTimeOffset.UnixEpoch, readings));
        }

        var counts = Split(machines, latest);

        Assert.Equal(10, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 1, 5));
        Assert.True(counts.Count >= 2);
    }

    [Fact]
    public void A_value_JSON_cannot_hold_is_sent_as_null()
    {
        var latest = new LatestValues();
        latest.Apply(new DeviceMessage(1, 1, "test", DateTimeOffset.UnixEpoch,
            [new Reading("speed", 1, TagValue.Of(double.NaN)), new Reading("load", 1, TagValue.Of(double.NegativeInfinity)), new Reading("temp", 1, TagValue.Of(21.5))]));

        var (json, _) = LiveMessages.Snapshot([1], 0, latest, new MachineConnectivity(), states: null, tenant: 1);

        var values = JsonNode.Parse(json)!["snapshot"]![0]!["values"]!;
        Assert.Null(values["speed"]!["value"]);
        Assert.Null(values["load"]!["value"]);
        Assert.Equal(21.5, values["temp"]!["value"]!.GetValue<double>());

        var change = JsonNode.Parse(LiveMessages.Change(1, 1, latest.Of(1, 1)))!["values"]!;
        Assert.Null(change["speed"]);
        Assert.Equal(21.5, change["temp"]!.GetValue<double>());
    }

    private static List<int> Split(long[] machines, LatestValues latest)
    {
        var counts = new List<int>();
        var seen = new List<long>();
        for (var from = 0; from < machines.Length;)
        {
            var (json, count) = LiveMessages.Snapshot(machines, from, latest, new MachineConnectivity(), states: null, tenant: 1);
            var entries = JsonNode.Parse(json)!["snapshot"]!.AsArray();
            Assert.Equal(count, entries.Count);
            seen.AddRange(entries.Select(e => e!["machine"]!.GetValue<long>()));
            counts.Add(count);
            from += count;
        }

        Assert.Equal(machines, seen);
        return counts;
    }
}
