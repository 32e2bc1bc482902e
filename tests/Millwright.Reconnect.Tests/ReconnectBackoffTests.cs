namespace Millwright.Reconnect.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly BackoffPolicy NoJitter = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 0, TimeSpan.FromSeconds(30));

    [Fact]
    public void Waits_double_up_to_the_cap_and_the_next_retry_is_now_plus_the_wait()
    {
        var clock = new ManualClock();
        var backoff = new ReconnectBackoff(NoJitter, clock, new Random(1));
        foreach (var seconds in new[] { 1, 2, 4, 8, 8, 8 })
        {
            var wait = backoff.Failed();
            Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
            Assert.Equal(clock.GetUtcNow() + wait, backoff.NextRetry);
            clock.Advance(wait);
        }

        Assert.Equal(6, backoff.Failures);
    }

    [Fact]
    public void Jitter_only_shortens_and_the_waits_still_grow_until_the_cap()
    {
        var policy = new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.25, TimeSpan.FromSeconds(30));
        for (var seed = 0; seed < 50; seed++)
        {
            var backoff = new ReconnectBackoff(policy, new ManualClock(), new Random(seed));
            var previous = TimeSpan.Zero;
            for (var failures = 1; failures <= 40; failures++)
            {
                var ceiling = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures - 1, 30))));
                var wait = backoff.Failed();
                Assert.InRange(wait, ceiling * 0.75, ceiling);
                if (ceiling < policy.Max)
                {
                    Assert.True(wait > previous, $"seed {seed}: wait {failures} ({wait}) is not longer than the one before ({previous})");
                }

                previous = wait;
            }
        }
    }

    [Fact]
    public void A_link_healthy_for_less_than_the_healthy_period_keeps_its_growing_wait()
    {
        var clock = new ManualClock();
        var backoff = new ReconnectBackoff(NoJitter, clock, new Random(1));
        clock.Advance(backoff.Failed());
        clock.Advance(backoff.Failed());
        backoff.Healthy();
        Assert.Null(backoff.NextRetry);
        clock.Advance(TimeSpan.FromSeconds(29));
        backoff.Healthy();
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Failed());
        Assert.Equal(3, backoff.Failures);
    }

    [Fact]
    public void A_link_healthy_for_the_healthy_period_starts_again_from_the_first_wait()
    {
        var clock = new ManualClock();
        var backoff = new ReconnectBackoff(NoJitter, clock, new Random(1));
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(backoff.Failed());
        }

        backoff.Healthy();
        clock.Advance(TimeSpan.FromSeconds(20));
        // Later good polls do not move the start of the healthy period.
        backoff.Healthy();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Failed());
        Assert.Equal(1, backoff.Failures);
    }

    [Theory]
    [InlineData(0, 8, 0.2, 30)]
    [InlineData(2, 1, 0.2, 30)]
    [InlineData(1, 8, 0.5, 30)]
    [InlineData(1, 8, -0.1, 30)]
    [InlineData(1, 8, 0.2, -1)]
    public void A_policy_outside_its_rules_is_refused(double initial, double max, double jitter, double healthy)
    {
        var policy = new BackoffPolicy(TimeSpan.FromSeconds(initial), TimeSpan.FromSeconds(max), jitter, TimeSpan.FromSeconds(healthy));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(policy));
    }
}
