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
