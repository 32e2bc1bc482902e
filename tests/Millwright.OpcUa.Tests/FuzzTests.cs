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

    [Fact]
    public void Every_secured_seed_opens_and_decodes_under_both_modes_except_the_service_fault()
    {
        var payloads = OpcUaSecuredFuzzing.Payloads();
        foreach (var mode in new[] { Crypto.MessageSecurityMode.Sign, Crypto.MessageSecurityMode.SignAndEncrypt })
        {
            var (client, server) = OpcUaSecuredFuzzing.Pair(mode);
            using (client)
            using (server)
            {
                var outcomes = payloads.Select((p, i) => OpcUaSecuredFuzzing.Decode(client, OpcUaSecuredFuzzing.Protect(server, p, (uint)i + 1))).ToList();
                Assert.All(outcomes.Take(outcomes.Count - 1), Assert.True);
                Assert.False(outcomes[^1]);
            }
        }
    }

    [Fact]
    public async Task Mutated_signed_and_encrypted_server_chunks_only_decode_or_fail_with_the_protocol_exception()
    {
        const int SecuredCases = 4_000;
        var worker = new OpcUaSecuredFuzzing().CreateWorker(20261206);
        await Task.Run(() =>
        {
            for (var i = 0; i < SecuredCases; i++)
            {
                try
                {
                    worker.RunOne();
                }
                catch (Exception e)
                {
                    Assert.Fail($"Case {i} ({worker.Current.Context}) crashed the client with {e.GetType().Name}: {e.Message}\ninput: {Convert.ToHexString(worker.Current.Input)}\n{e.StackTrace}");
                }
            }
        }).WaitAsync(HangLimit);

        // Mutated protected bytes are refused; honestly protected mutated plaintexts often decode.
        var summary = worker.Summary();
        var numbers = summary.Split(',').Select(p => long.Parse(p.Trim().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(numbers[1] > 200 && numbers[2] > SecuredCases / 2, summary);
    }
}
