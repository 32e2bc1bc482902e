using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Tests;

/// <summary>Instances the model refuses, each with a message naming what is wrong.</summary>
public sealed class BadInputTests
{
    private static string Refusal(Func<ShopInstance> build) => Assert.Throws<SchedulingInputException>(() => build()).Message;

    private static ShopJob Job(params ShopOperation[] operations) => new(operations);

    [Fact]
    public void An_operation_no_machine_can_run_is_named()
    {
        Assert.Equal("job 1, operation 0: no machine can run it (no machine options)",
            Refusal(() => new ShopInstance(2, [Job(ShopOperation.On(0, 1)), Job(new ShopOperation([]))])));
    }

    [Fact]
    public void A_machine_that_does_not_exist_is_named()
    {
        Assert.Equal("job 0, operation 1: machine 5 does not exist (machines are 0..1)",
            Refusal(() => new ShopInstance(2, [Job(ShopOperation.On(0, 1), ShopOperation.On(5, 1))])));
    }

    [Fact]
    public void Negative_and_absurd_times_are_refused()
    {
        Assert.Contains("duration on machine 0 is -3", Refusal(() => new ShopInstance(1, [Job(ShopOperation.On(0, -3))])), StringComparison.Ordinal);
        Assert.Contains("duration on machine 0 is 2000000000; times must be 0..100000000",
            Refusal(() => new ShopInstance(1, [Job(ShopOperation.On(0, 2_000_000_000))])), StringComparison.Ordinal);
        Assert.Contains("job 0 (cast): release is -1", Refusal(() => new ShopInstance(1, [new ShopJob([ShopOperation.On(0, 1)], Release: -1, Name: "cast")])), StringComparison.Ordinal);
        Assert.Contains("setup time on machine 0 from family none to family 0 is -1",
            Refusal(() => new ShopInstance(1, [Job(ShopOperation.On(0, 1))], new SetupTimes(1, 1, (_, _, _) => -1))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_horizon_beyond_32_bit_sums_is_refused()
    {
        var jobs = Enumerable.Range(0, 20).Select(_ => Job(ShopOperation.On(0, ShopInstance.MaxTime))).ToArray();

        Assert.Contains("use a coarser time unit", Refusal(() => new ShopInstance(1, jobs)), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_downtime_windows_are_refused()
    {
        Assert.Contains("overlap", Refusal(() => new ShopInstance(1, [Job(ShopOperation.On(0, 1))], downtime: [[new TimeWindow(0, 5), new TimeWindow(3, 8)]])), StringComparison.Ordinal);
        Assert.Contains("machine 0: downtime window", Refusal(() => new ShopInstance(1, [Job(ShopOperation.On(0, 1))], downtime: [[new TimeWindow(5, 5)]])), StringComparison.Ordinal);
        Assert.Contains("downtime is given for 2 machines", Refusal(() => new ShopInstance(1, [Job(ShopOperation.On(0, 1))], downtime: [[], []])), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_mistakes_are_named()
    {
        Assert.Contains("machine 0 is listed twice", Refusal(() => new ShopInstance(1, [Job(new ShopOperation([new(0, 1), new(0, 2)]))])), StringComparison.Ordinal);
        Assert.Contains("setup family 4 is not one of the 2 families",
            Refusal(() => new ShopInstance(1, [Job(new ShopOperation([new(0, 1)], 4))], SetupTimes.Fixed(1, [1, 1]))), StringComparison.Ordinal);
        Assert.Equal("job 0 has no operations", Refusal(() => new ShopInstance(1, [new ShopJob([])])));
        Assert.Equal("an instance needs at least one job", Refusal(() => new ShopInstance(1, [])));
        Assert.Equal("an instance needs at least one machine, not 0", Refusal(() => new ShopInstance(0, [Job(ShopOperation.On(0, 1))])));
    }
}
