using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Millwright.Features.Live;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Benchmarks;

/// <summary>
/// What the telemetry pipeline pays per message for the live feed (<see cref="LiveFeed.Publish"/>): nothing
/// watched, one or a hundred connections watching the machine, each either keeping up (drained after every
/// message, as a reading writer does) or stalled (every value coalesces into its pending map).
/// A message carries 10 numeric tags, as a typical machine reports.
/// </summary>
[MemoryDiagnoser]
public class LiveFeedBenchmarks
{
    private ServiceProvider _services = null!;
    private LiveFeed _feed = null!;
    private DeviceMessage _message = null!;
    private LiveSubscriber[] _subscribers = [];

    [Params(0, 1, 100)]
    public int Watchers { get; set; }

    [Params(false, true)]
    public bool Stalled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _feed = new LiveFeed(new LiveOptions { MaxConnectionsPerTenant = 1000 }, _services.GetRequiredService<IMeterFactory>());
        _subscribers = [.. Enumerable.Range(0, Watchers).Select(_ => _feed.TryOpen(1)!)];
        foreach (var subscriber in _subscribers)
        {
            _feed.Cover(subscriber, new HashSet<long> { 42 });
        }

        var readings = Enumerable.Range(0, 10).Select(i => new Reading($"tag{i}", 1_763_800_000_000, TagValue.Of(i * 1.5))).ToList();
        _message = new DeviceMessage(1, 42, "bench", DateTimeOffset.UnixEpoch, readings);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public void Publish()
    {
        _feed.Publish(_message);
        if (!Stalled)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Pending.Drain();
            }
        }
    }
}
