using Millwright.Fuzzing;

namespace Millwright.Modbus.Tests;

public sealed class FuzzTests
{
    private const int Cases = 200_000;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Mutated_responses_only_parse_or_raise_our_two_exception_types()
    {
        var seeds = ModbusFuzzTargets.ResponseSeeds();
        var outcomes = new int[3];
        await Task.Run(() =>
        {
            var engine = ModbusFuzzTargets.ResponseEngine(randomSeed: 20260101);
            for (var i = 0; i < Cases; i++)
            {
                var (index, mutated) = engine.Next();
                var input = ModbusFuzzTargets.Framed(mutated, i);
                try
                {
                    outcomes[(int)ModbusFuzzTargets.ParseResponse(seeds[index].Request, input)]++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"Case {i} (seed {index}) crashed the parser with {e.GetType().Name}: {e.Message}\ninput: {Convert.ToHexString(input)}");
                }
            }
        }).WaitAsync(HangLimit);

        // The mutations must reach all three outcomes, or the fuzzer is not exploring.
        Assert.All(outcomes, count => Assert.True(count > 100, string.Join(", ", outcomes)));
    }

    [Fact]
    public async Task Mutated_requests_are_answered_or_closed_by_the_server_without_crashing()
    {
        var answered = 0;
        var closed = 0;
        await Task.Run(() =>
        {
            var engine = ModbusFuzzTargets.RequestEngine(randomSeed: 20260102);
            var bank = ModbusFuzzTargets.FuzzBank();
            var response = new byte[ModbusLimits.MaxAduLength];
            for (var i = 0; i < Cases; i++)
            {
                var input = ModbusFuzzTargets.Framed(engine.Next().Input, i);
                try
                {
                    if (ModbusFuzzTargets.HandleRequest(bank, input, response) == 0)
                    {
                        closed++;
                    }
                    else
                    {
                        answered++;
                    }
                }
                catch (Exception e)
                {
                    Assert.Fail($"Case {i} crashed the request handler with {e.GetType().Name}: {e.Message}\ninput: {Convert.ToHexString(input)}");
                }
            }
        }).WaitAsync(HangLimit);

        Assert.True(answered > 1000 && closed > 1000, $"answered {answered}, closed {closed}");
    }

    [Fact]
    public void The_mutation_engine_is_deterministic_for_a_fixed_seed()
    {
        var first = ModbusFuzzTargets.ResponseEngine(7);
        var second = ModbusFuzzTargets.ResponseEngine(7);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(first.Next().Input, second.Next().Input);
        }
    }

    [Fact]
    public void Every_response_seed_is_valid_so_mutations_start_from_real_frames()
    {
        foreach (var (request, response) in ModbusFuzzTargets.ResponseSeeds())
        {
            var outcome = ModbusFuzzTargets.ParseResponse(request, response);
            Assert.Equal((response[7] & 0x80) != 0 ? ModbusFuzzTargets.Outcome.DeviceException : ModbusFuzzTargets.Outcome.Parsed, outcome);
        }
    }
}
