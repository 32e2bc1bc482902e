using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Millwright.Features.Live;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Live;

/// <summary>A dashboard that stops reading gets the newest values when it reads again, not a backlog.</summary>
public abstract partial class LiveFeedTests
{
    private const int SlowTags = 250;

    [Fact]
    public async Task A_slow_consumer_gets_the_newest_values_coalesced_instead_of_a_backlog()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        using var coalesced = new CoalescedCounter(Host.Service<IMeterFactory>());
        await using var live = await LiveClient.ConnectAsync(Host, t.ViewerKey, smallReceiveBuffer: true);
        await live.ReceiveUntilAsync(m => m["welcome"] is not null);
        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);
        await live.ReceiveUntilAsync(m => m["snapshot"] is not null);

        // Enough changes that, sent one by one, they could not all fit in the server's socket send buffer
        // (the kernel's maximum, read here) plus the client's pinned 4 KiB: the server's writer must stall
        // while the test is not reading, however fast the machine is.
        var perPost = SlowTags * 220;
        var posts = (int)Math.Ceiling(2.0 * (MaxSendBuffer() + (1 << 20)) / perPost);
        var firstTs = Base;
        using var device = DeviceClient(plant);
        for (var i = 0; i < posts; i++)
        {
            await PostAsync(device, SlowPayload(firstTs + i));
        }

        var lastTs = firstTs + posts - 1;
        await WaitForLatestAsync(t, plant.MachineId, "t000", lastTs);

        var (newest, before) = await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, plant.MachineId) && m["ts"]!.GetValue<long>() == lastTs);

        var changes = before.Append(newest).Where(m => LiveClient.IsChange(m, plant.MachineId)).ToList();
        Assert.True(changes.Count < posts, $"{changes.Count} change messages for {posts} posts: nothing was coalesced");
        Assert.Equal(SlowTags, newest["values"]!.AsObject().Count);
        Assert.All(newest["values"]!.AsObject(), v => Assert.Equal(SlowValue(lastTs, v.Key), v.Value!.GetValue<string>()));

        // Every value published to this connection was either sent or superseded by a newer one of its tag.
        var delivered = changes.Sum(m => m["values"]!.AsObject().Count);
        Assert.Equal((long)posts * SlowTags, delivered + coalesced.Total);
    }

    private static string SlowPayload(long ts)
    {
        var json = new StringBuilder(SlowTags * 220).Append(CultureInfo.InvariantCulture, $$"""{"ts": {{ts}}, "values": {""");
        for (var tag = 0; tag < SlowTags; tag++)
        {
            var name = $"t{tag:D3}";
            json.Append(tag == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"\"{name}\": \"{SlowValue(ts, name)}\"");
        }

        return json.Append("}}").ToString();
    }

    private static string SlowValue(long ts, string tag) => $"{tag}@{ts}:".PadRight(200, 'x');

    private static long MaxSendBuffer()
    {
        const string path = "/proc/sys/net/ipv4/tcp_wmem";
        return File.Exists(path) ? long.Parse(File.ReadAllText(path).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture) : 4 << 20;
    }

    /// <summary>Sums <c>millwright.live.coalesced</c> of this host only (its meter factory is the meter's scope).</summary>
    private sealed class CoalescedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CoalescedCounter(IMeterFactory host)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LiveFeed.MeterName && instrument.Name == "millwright.live.coalesced" && ReferenceEquals(instrument.Meter.Scope, host))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
