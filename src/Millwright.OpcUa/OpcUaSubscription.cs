using System.Threading.Channels;
using Millwright.OpcUa.Services;

namespace Millwright.OpcUa;

/// <summary>
/// A subscription (OPC 10000-4 5.13) with one Publish loop: data changes of its monitored items arrive on
/// <see cref="Values"/>; each message is acknowledged in the next Publish; a keep-alive is counted; a gap in the
/// sequence numbers is filled with Republish (5.13.6) before the newer message is delivered. One subscription per
/// session: the loop takes every Publish response of the session as its own.
/// </summary>
internal sealed class OpcUaSubscription : IAsyncDisposable
{
    private readonly OpcUaClient _client;
    private readonly Dictionary<uint, NodeId> _handles = [];
    private readonly Channel<MonitoredValue> _values = Channel.CreateBounded<MonitoredValue>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task? _loop;
    private uint? _lastSequence;
    private uint _nextHandle;

    internal OpcUaSubscription(OpcUaClient client, uint id, TimeSpan interval)
    {
        _client = client;
        Id = id;
        PublishingInterval = interval;
    }

    public uint Id { get; }

    public TimeSpan PublishingInterval { get; }

    public ChannelReader<MonitoredValue> Values => _values.Reader;

    public long KeepAlives { get; private set; }

    public long Republished { get; private set; }

    /// <summary>Completes with the error that stopped the Publish loop (the channel broke), or null on dispose.</summary>
    public Task<Exception?> Stopped { get; private set; } = Task.FromResult<Exception?>(null);

    /// <summary>Creates the monitored items; per-item statuses come back (BadNodeIdUnknown for a missing node).</summary>
    public async Task<IReadOnlyList<StatusCode>> MonitorAsync(IReadOnlyList<MonitoredItemRequest> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var handled = new List<(uint, MonitoredItemRequest)>();
        lock (_lock)
        {
            foreach (var item in items)
            {
                var handle = ++_nextHandle;
                _handles[handle] = item.Node;
                handled.Add((handle, item));
            }
        }

        var results = await _client.CreateMonitoredItemsAsync(Id, handled, ct);
        if (_loop is null)
        {
            var stopped = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Stopped = stopped.Task;
            _loop = Task.Run(() => PublishLoopAsync(stopped), CancellationToken.None);
        }

        return [.. results.Select(r => r.Status)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task PublishLoopAsync(TaskCompletionSource<Exception?> stopped)
    {
        var acknowledgements = new List<(uint, uint)>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var (_, message) = await _client.PublishAsync(acknowledgements, _stop.Token);
                acknowledgements = [];
                if (message.IsKeepAlive)
                {
                    KeepAlives++;
                    continue;
                }

                if (_lastSequence is { } last && message.SequenceNumber > last + 1)
                {
                    for (var missing = last + 1; missing < message.SequenceNumber; missing++)
                    {
                        var again = await _client.RepublishAsync(Id, missing, _stop.Token);
                        Republished++;
                        await DeliverAsync(again);
                        acknowledgements.Add((Id, missing));
                    }
                }

                await DeliverAsync(message);
                acknowledgements.Add((Id, message.SequenceNumber));
                _lastSequence = message.SequenceNumber;
            }

            stopped.TrySetResult(null);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            stopped.TrySetResult(null);
        }
        catch (OpcUaProtocolException e)
        {
            stopped.TrySetResult(e);
        }
        finally
        {
            _values.Writer.TryComplete();
        }
    }

    private async Task DeliverAsync(NotificationMessage message)
    {
        foreach (var (handle, value) in message.Changes)
        {
            NodeId? node;
            lock (_lock)
            {
                node = _handles.GetValueOrDefault(handle);
            }

            if (node is not null)
            {
                await _values.Writer.WriteAsync(new MonitoredValue(node, value));
            }
        }
    }
}
