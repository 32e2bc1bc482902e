using Millwright.Fuzzing;

namespace Millwright.OpcUa.Tests;

public sealed class FuzzTests
{
    private const int Cases = 100_000;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public void Every_seed_decodes_except_the_service_fault_which_the_client_raises()
    {
        var seeds = OpcUaSeeds.All();

        Assert.All(seeds.Take(seeds.Count - 1), seed => Assert.True(OpcUaFuzzing.Decode(seed), Convert.ToHexString(seed)));
        Assert.False(OpcUaFuzzing.Decode(seeds[^1]));
    }

    [Fact]
    public async Task Mutated_server_messages_only_decode_or_fail_with_the_protocol_exception()
    {
        var worker = new OpcUaFuzzing().CreateWorker(20261206);
        await Task.Run(() =>
        {
            for (var i = 0; i < Cases; i++)
            {
                try
                {
                    worker.RunOne();
                }
                catch (Exception e)
                {
                    Assert.Fail($"Case {i} crashed the decoder with {e.GetType().Name}: {e.Message}\ninput: {Convert.ToHexString(worker.Current.Input)}\n{e.StackTrace}");
                }
            }
        }).WaitAsync(HangLimit);

        // Both outcomes must be common, or the mutations are not exploring past the first checks.
        var summary = worker.Summary();
        var numbers = summary.Split(',').Select(p => long.Parse(p.Trim().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(numbers[1] > 1000 && numbers[2] > 1000, summary);
    }
}
