using Millwright.Features.States;

namespace Millwright.Tests.States;

public sealed class AppliedSequenceTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_wait_completes_only_once_the_tracker_has_applied_that_many_messages()
    {
        var sequence = new AppliedSequence();
        for (var i = 0; i < 3; i++)
        {
            sequence.MarkQueued();
        }

        var wait = sequence.WaitAsync(sequence.Queued, Long, CancellationToken.None);
        sequence.MarkApplied(2);
        Assert.False(wait.IsCompleted);

        sequence.MarkApplied(1);
        Assert.True(await wait);
        Assert.Equal(3, sequence.Applied);
    }

    [Fact]
    public async Task A_wait_for_what_is_already_applied_completes_at_once()
    {
        var sequence = new AppliedSequence();
        sequence.MarkQueued();
        sequence.MarkApplied(1);

        var wait = sequence.WaitAsync(1, Long, CancellationToken.None);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
        Assert.True(await sequence.WaitAsync(0, Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_wait_that_runs_out_reports_false_and_a_cancelled_one_throws()
    {
        var sequence = new AppliedSequence();
        sequence.MarkQueued();

        Assert.False(await sequence.WaitAsync(1, TimeSpan.Zero, CancellationToken.None));
        using var cancel = new CancellationTokenSource();
        var wait = sequence.WaitAsync(1, Long, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task Many_waiters_on_different_sequences_each_wake_when_their_own_is_reached()
    {
        var sequence = new AppliedSequence();
        var waits = Enumerable.Range(1, 50).Select(n => sequence.WaitAsync(n, Long, CancellationToken.None)).ToList();

        var applier = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                sequence.MarkApplied(1);
            }
        });

        await applier;
        Assert.All(await Task.WhenAll(waits), Assert.True);
    }
}
