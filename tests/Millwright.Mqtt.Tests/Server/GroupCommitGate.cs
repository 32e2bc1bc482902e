using System.Net;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// A gate shaped like the platform's store: admission adds the message to the open batch, and a committer
/// completes the whole batch with one shared task, on its own thread, as a group commit does.
/// </summary>
internal sealed class GroupCommitGate : MqttGate, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _committer;
    private TaskCompletionSource _batch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _batchHasMessages;
    private long _admitted;
    private int _commits;

    public GroupCommitGate() => _committer = Task.Run(CommitLoopAsync);

    public long Admitted => Interlocked.Read(ref _admitted);

    public int Commits => Volatile.Read(ref _commits);

    public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ConnectVerdict.Accept());

    public override bool MaySubscribe(MqttClient client, string topicFilter) => true;

    public override ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
    {
        Task durable;
        bool first;
        lock (_lock)
        {
            Interlocked.Increment(ref _admitted);
            durable = _batch.Task;
            first = !_batchHasMessages;
            _batchHasMessages = true;
        }

        if (first)
        {
            _work.Release();
        }

        return ValueTask.FromResult(PublishVerdict.AcceptWhenDurable(durable));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _committer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _work.Dispose();
    }

    private async Task CommitLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _work.WaitAsync(_stop.Token);

            // Let more messages join the batch before it is committed, as the store's commit interval does.
            await Task.Yield();
            TaskCompletionSource committed;
            lock (_lock)
            {
                committed = _batch;
                _batch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _batchHasMessages = false;
            }

            Interlocked.Increment(ref _commits);
            committed.SetResult();
        }
    }
}
