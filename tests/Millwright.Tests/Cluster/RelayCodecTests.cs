using System.Text;
using Millwright.Features.ClusterLeaders;
using Millwright.Features.Production;
using Millwright.Features.States;

namespace Millwright.Tests.Cluster;

/// <summary>The format of planner events relayed to a tenant's leader: what goes in comes out, and anything else is refused.</summary>
public sealed class RelayCodecTests
{
    private static readonly DateTimeOffset Since = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    private static IReadOnlyList<RelayedEvent> EveryKind() =>
    [
        new(1, 7, new PlanRequested(7, "order PO-1 released"), null),
        new(2, 7, new JobsCancelled(7, [new JobRow { Id = 11, MachineId = 3, MachineName = "mill-ü", Commands = 2 }, new JobRow { Id = 12 }], "order PO-1 cancelled"), null),
        new(3, 7, new StateObserved(7, new CurrentState(3, "down", Since, "alarm 17", 99, Since.AddSeconds(5))), null),
        new(4, 7, new StateObserved(7, new CurrentState(3, "running", Since, null, 100, Since)), null),
        new(5, 8, new AckReceived(8, 3, "mill-1", new CommandAck("j11-1", 11, CommandAck.Completed, null, 40, 2)), null),
        new(6, 8, new AckReceived(8, 3, "mill-1", new CommandAck(null, 11, CommandAck.Rejected, "no tool", null, null)), null),
        new(7, 8, null, new RelayedCount(3, 2.5, 1, 1_700_000_000_500)),
    ];

    [Fact]
    public void Every_kind_of_event_comes_back_as_it_was_sent()
    {
        var sent = EveryKind();

        var (from, received) = RelayCodec.Decode(RelayCodec.Encode("node-a", sent));

        Assert.Equal("node-a", from);
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal((sent[i].Id, sent[i].TenantId, sent[i].Count), (received[i].Id, received[i].TenantId, received[i].Count));
            switch (sent[i].Event)
            {
                case JobsCancelled cancelled:
                    var back = Assert.IsType<JobsCancelled>(received[i].Event);
                    Assert.Equal(cancelled.Reason, back.Reason);
                    Assert.Equal(
                        cancelled.Held.Select(j => (j.Id, j.MachineId, j.MachineName, j.Commands)),
                        back.Held.Select(j => (j.Id, j.MachineId, j.MachineName, j.Commands)));
                    break;
                default:
                    // Records compare by value, CurrentState's and CommandAck's fields included.
                    Assert.Equal(sent[i].Event, received[i].Event);
                    break;
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"from\":\"a\"}")]
    [InlineData("{\"from\":1,\"events\":[]}")]
    [InlineData("{\"from\":\"a\",\"events\":[1]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1,\"tenant\":2,\"kind\":\"launch\"}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1,\"tenant\":2,\"kind\":\"plan\"}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1.5,\"tenant\":2,\"kind\":\"plan\",\"reason\":\"x\"}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1,\"tenant\":2,\"kind\":\"count\",\"machine\":3,\"parts\":\"2\",\"scrap\":0,\"at\":1}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1,\"tenant\":2,\"kind\":\"count\",\"machine\":3,\"parts\":1e999,\"scrap\":0,\"at\":1}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1,\"tenant\":2,\"kind\":\"state\",\"machine\":3,\"state\":\"down\",\"since\":9223372036854775807,\"reason\":null,\"interval\":1,\"lastSeen\":0}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[{\"id\":1,\"tenant\":2,\"kind\":\"cancel\",\"reason\":\"x\",\"held\":{}}]}")]
    [InlineData("{\"from\":\"a\",\"events\":[[[[[[[[[[1]]]]]]]]]]}")]
    public void A_body_that_is_not_a_batch_of_events_is_refused_with_a_format_error(string body) =>
        Assert.Throws<FormatException>(() => RelayCodec.Decode(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Mutated_batches_decode_or_are_refused_with_a_format_error_and_nothing_else()
    {
        var valid = RelayCodec.Encode("node-a", EveryKind());
        var random = new Random(2022);
        for (var i = 0; i < 20_000; i++)
        {
            var body = valid.ToArray();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var cut = body.AsSpan(0, random.Next(body.Length + 1)).ToArray();
            try
            {
                RelayCodec.Decode(cut);
            }
            catch (FormatException)
            {
            }
        }
    }

    [Fact]
    public void A_number_seen_recently_is_taken_once_and_the_oldest_are_forgotten()
    {
        var seen = new RecentIds(3);

        Assert.True(seen.Add("a", 1));
        Assert.False(seen.Add("a", 1));
        Assert.True(seen.Add("b", 1));
        Assert.True(seen.Add("a", 2));
        Assert.True(seen.Add("a", 3));

        Assert.True(seen.Add("a", 1));
        Assert.False(seen.Add("a", 3));
    }
}
