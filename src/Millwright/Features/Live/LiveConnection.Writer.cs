using System.Net.WebSockets;

namespace Millwright.Features.Live;

/// <summary>The single writer of a live connection: control messages first, then the coalesced changes.</summary>
internal sealed partial class LiveConnection
{
    private async Task WriteLoopAsync(LiveSubscriber subscriber)
    {
        try
        {
            while (await subscriber.Wakes.WaitToReadAsync(_stop.Token))
            {
                subscriber.Wakes.TryRead(out _);
                await SendControlAsync(subscriber);
                var (values, overflowed, since) = subscriber.Pending.Drain();
                if (overflowed)
                {
                    // Too far behind to keep every changed value: the twin's newest state replaces them.
                    services.Feed.RecordResync();
                    await SendSnapshotAsync(subscriber, services.Feed.CoveredBy(subscriber));
                }

                if (values.Count > 0)
                {
                    var sent = 0;
                    foreach (var machine in values.GroupBy(v => v.Key.Machine).OrderBy(g => g.Key))
                    {
                        // One message per reading time, as the telemetry wire groups them.
                        foreach (var at in machine.Select(v => v.Value).GroupBy(r => r.Timestamp).OrderBy(g => g.Key))
                        {
                            await SendFrameAsync(LiveMessages.Change(machine.Key, at.Key, at.OrderBy(r => r.Tag, StringComparer.Ordinal)));
                            sent++;
                        }
                    }

                    services.Feed.RecordSent(sent, since);
                }

                var (moved, positionsLost, movedSince) = subscriber.Positions.Drain();
                if (positionsLost)
                {
                    await SendFrameAsync(LiveMessages.PositionsLost);
                }

                for (var from = 0; from < moved.Count; from += LiveMessages.PositionsChunk)
                {
                    await SendFrameAsync(LiveMessages.Positions(moved, from));
                }

                if (moved.Count > 0)
                {
                    services.Feed.RecordSent((moved.Count + LiveMessages.PositionsChunk - 1) / LiveMessages.PositionsChunk, movedSince);
                }

                // States and alarms after the values they were derived from.
                var (events, lost) = subscriber.Events.Drain();
                if (lost)
                {
                    await SendFrameAsync(LiveEventMessages.EventsLost);
                }

                foreach (var json in events)
                {
                    await SendFrameAsync(json);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing: what the reader queued last (an error before a close) still goes out.
            await SendControlBeforeCloseAsync(subscriber);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, "");
        }
    }

    private async Task SendControlBeforeCloseAsync(LiveSubscriber subscriber)
    {
        try
        {
            await SendControlAsync(subscriber);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // The client is gone; the close finds the socket aborted.
        }
    }

    private async Task SendControlAsync(LiveSubscriber subscriber)
    {
        while (_control.Reader.TryRead(out var item))
        {
            if (item.Json is { } json)
            {
                await SendFrameAsync(json);
            }

            if (item.SnapshotOf is { } machines)
            {
                await SendSnapshotAsync(subscriber, machines);
            }
        }
    }

    /// <summary>
    /// Drops what waits for these machines first and reads the twin second: a change published in between
    /// was applied to the twin before it was published, so it is either in the snapshot or sent after it.
    /// </summary>
    private async Task SendSnapshotAsync(LiveSubscriber subscriber, IReadOnlyCollection<long> machines)
    {
        subscriber.Pending.Forget(machines as IReadOnlySet<long> ?? machines.ToHashSet());
        var ordered = machines.Order().ToArray();
        for (var from = 0; from < ordered.Length;)
        {
            var (json, count) = LiveMessages.Snapshot(ordered, from, services.Latest, services.Links, services.States, subscriber.TenantId);
            await SendFrameAsync(json);
            from += count;
        }
    }

    private ValueTask SendFrameAsync(byte[] json) =>
        socket.SendAsync(json.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
}
