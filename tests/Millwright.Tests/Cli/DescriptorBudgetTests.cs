using Millwright.Cli;

namespace Millwright.Tests.Cli;

/// <summary>The broker's connection bounds are kept inside the process's open-file limit.</summary>
public sealed class DescriptorBudgetTests
{
    [Fact]
    public void Bounds_that_fit_the_limit_with_the_reserve_are_kept()
    {
        Assert.Null(DescriptorBudget.Fit(100_000, 1_000, 1_048_576));
        Assert.Null(DescriptorBudget.Fit(17_000, 1_000, 20_000));
    }

    [Fact]
    public void Bounds_over_the_limit_are_lowered_to_leave_the_reserve()
    {
        // This machine's limit: 20,000 descriptors, 2,000 kept for the store, HTTP and the runtime.
        var fitted = DescriptorBudget.Fit(100_000, 1_000, 20_000)!.Value;
        Assert.Equal(1_000, fitted.MaxUnauthenticated);
        Assert.Equal(17_000, fitted.MaxConnections);
    }

    [Fact]
    public void A_small_limit_keeps_a_quarter_in_reserve_and_bounds_the_unauthenticated_sockets_to_a_tenth()
    {
        var fitted = DescriptorBudget.Fit(100_000, 1_000, 1_024)!.Value;
        Assert.Equal(76, fitted.MaxUnauthenticated);
        Assert.Equal(692, fitted.MaxConnections);
        Assert.True(fitted.MaxConnections + fitted.MaxUnauthenticated <= 1_024 - 256);
    }

    [Fact]
    public void The_limit_is_read_on_Linux_and_is_at_least_the_soft_limit_the_process_started_with()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.True(DescriptorBudget.RaiseAndRead() >= 1_024);
    }
}
