using Millwright.Fuzzing;
using Xunit.Abstractions;

namespace Millwright.Mqtt.Tests;

/// <summary>A short deterministic run of the mutation fuzzer; `bench/Millwright.Fuzz -- mqtt` runs the long one.</summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Cases = 200_000;

    [Fact]
    public async Task The_decoder_only_returns_packets_asks_for_more_or_throws_the_protocol_exception()
    {
        var fuzzer = MqttFuzzing.Engine(seed: 20_261_122);
        var stats = new FuzzStats();
        var run = Task.Run(() =>
        {
            for (var i = 0; i < Cases; i++)
            {
                var input = fuzzer.Next().Input;
                try
                {
                    MqttFuzzTarget.Run(input, stats, i);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException($"Case {i} crashed on {Wire.ToHex(input)}: {e}", e);
                }
            }
        });

        // A hang is a failure too (TimeoutException); the whole run takes a few seconds.
        await run.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine(stats.Summary());

        // The mutations must reach past the fixed header: packets of many types decode, and many rules reject.
        Assert.Equal(Cases, stats.Cases);
        Assert.True(stats.Packets > Cases / 4, stats.Summary());
        Assert.True(stats.ByPacketType.Count(n => n > 0) == 15, stats.Summary());
        Assert.True(stats.ByReason.Count(n => n > 0) >= 6, stats.Summary());
    }
}
