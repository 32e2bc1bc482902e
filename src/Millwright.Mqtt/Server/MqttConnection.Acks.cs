using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// The acknowledgement pipeline. A PUBACK or PUBREC waits for its message to be durable (the gate's
/// <see cref="PublishVerdict.Durable"/>) while the connection keeps reading, and acknowledgements leave in
/// the order their PUBLISHes came (5.0 and 3.1.1 section 4.6), each only once its own wait is over.
/// </summary>
internal sealed partial class MqttConnection
{
    private const string NotDurable = "the server could not store the message";

    // Runs on the thread that completes the durability task (a group commit completes many at once), so it
    // does no more than move the settled acknowledgements to the writer.
    private static readonly Action<Task, object?> OnDurable = static (task, state) =>
    {
        _ = task.Exception; // observed, whatever becomes of the acknowledgement that waited for it
        ((MqttConnection)state!).ReleaseSettledAcks();
    };

    // Guarded by _acksLock, which is always taken before the session's lock, never inside it.
    // Made at the first acknowledgement that must wait: an idle connection holds no queue.
    private Queue<PendingAck>? _acks;
    private readonly Lock _acksLock = new();
    // QoS 2 packet ids whose PUBREC is still queued: a resent PUBLISH of one is not admitted a second time
    // (4.3.3). The id joins the session's set only when its PUBREC goes, once the message is safe.
    private HashSet<ushort>? _pendingRecs;
    private Task? _lastWatched;
    private TaskCompletionSource? _ackRoom;
    private bool _acksClosed;

    /// <summary>Acknowledgements owed and not yet handed to the writer, for tests.</summary>
    internal int PendingAcks
    {
        get
        {
            lock (_acksLock)
            {
                return _acks?.Count ?? 0;
            }
        }
    }

    /// <summary>Sends the acknowledgement now when nothing is ahead of it and it is settled; otherwise queues it.</summary>
    private void Acknowledge(PendingAck ack)
    {
        Task? watch = null;
        var failed = false;
        var queued = false;
        lock (_acksLock)
        {
            if (_acksClosed)
            {
                ack.Verdict.ObserveFaults();
                return;
            }

            if ((_acks?.Count ?? 0) == 0 && ack.IsSettled)
            {
                if (!Release(ack))
                {
                    failed = true;
                    DropAcks();
                }
            }
            else
            {
                (_acks ??= new()).Enqueue(ack);
                queued = true;
                if (_acks.Count == 1)
                {
                    // We owe the client answers: its silence meanwhile is ours, not its own (3.1.2.10).
                    HoldBack();
                }

                if (ack.QoS == QualityOfService.ExactlyOnce && ack.Verdict.Code == ReasonCode.Success)
                {
                    (_pendingRecs ??= []).Add(ack.PacketId);
                }

                // One watch per task is enough: messages of one group commit share it and settle together.
                if (ack.Verdict.Durable is { IsCompleted: false } durable && !ReferenceEquals(durable, _lastWatched))
                {
                    watch = _lastWatched = durable;
                }
            }
        }

        if (failed)
        {
            Abort(ReasonCode.UnspecifiedError);
        }

        // Outside the lock: a task that completed meanwhile runs the continuation here, at once. PreferFairness
        // queues it to the pool's shared queue: otherwise a completion that runs continuations asynchronously
        // puts it in the local queue of the committing thread, which goes on committing, and the PUBACK waits
        // until another worker steals it (28 ms at p99 for a quiet tenant beside a flood, docs/quotas.md).
        watch?.ContinueWith(OnDurable, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.PreferFairness, TaskScheduler.Default);

        // The wait may have ended after it was looked at above (so no watch was set), or its shared watch may
        // have fired before this acknowledgement was queued: nothing else would then release it.
        if (queued && watch is null && ack.IsSettled)
        {
            ReleaseSettledAcks();
        }
    }

    /// <summary>Hands the writer every acknowledgement at the head of the queue whose wait is over, in order.</summary>
    private void ReleaseSettledAcks()
    {
        var failed = false;
        lock (_acksLock)
        {
            while (!_acksClosed && _acks is not null && _acks.TryPeek(out var head) && head.IsSettled)
            {
                _acks.Dequeue();
                if (!Release(head))
                {
                    failed = true;
                    DropAcks();
                    break;
                }

                if (_acks.Count == 0)
                {
                    Resume();
                }
            }

            if (_ackRoom is not null && (_acks?.Count ?? 0) < server.Options.ReceiveMaximum)
            {
                _ackRoom.TrySetResult();
                _ackRoom = null;
            }
        }

        if (failed)
        {
            Abort(ReasonCode.UnspecifiedError);
        }
    }

    /// <summary>
    /// Sends one settled acknowledgement (under the lock, so that order holds). False: the message is not safe
    /// and a 3.1.1 client, which has no negative acknowledgement, must be disconnected instead of lied to.
    /// </summary>
    private bool Release(in PendingAck ack)
    {
        var (code, reason, late) = Outcome(ack.Verdict);
        if (ack.QoS == QualityOfService.ExactlyOnce)
        {
            _pendingRecs?.Remove(ack.PacketId);
        }

        if (late && code != ReasonCode.Success && !IsV5)
        {
            return false;
        }

        var properties = IsV5 && reason is not null ? new MqttProperties { ReasonString = reason } : null;
        if (ack.QoS == QualityOfService.AtLeastOnce)
        {
            Send(new PubAckPacket { PacketId = ack.PacketId, ReasonCode = code, Properties = properties });
            return true;
        }

        if (code == ReasonCode.Success)
        {
            // From PUBREC on, the message is ours (4.3.3): a resent PUBLISH is answered, not admitted.
            var session = _session!;
            lock (session.Gate)
            {
                session.AddIncomingQoS2(ack.PacketId);
            }
        }

        Send(new PubRecPacket { PacketId = ack.PacketId, ReasonCode = code, Properties = properties });
        return true;
    }

    /// <summary>What a settled verdict acknowledges with; late when it is the durability's answer, not admission's.</summary>
    private static (ReasonCode Code, string? Reason, bool Late) Outcome(PublishVerdict verdict)
    {
        if (verdict.Code != ReasonCode.Success || verdict.Durable is not { } durable)
        {
            return (verdict.Code, verdict.Reason, false);
        }

        if (!durable.IsCompletedSuccessfully)
        {
            _ = durable.Exception;
            return (ReasonCode.UnspecifiedError, NotDurable, true);
        }

        return durable is Task<PublishVerdict> { Result: var final } ? (final.Code, final.Reason, true) : (ReasonCode.Success, null, true);
    }

    /// <summary>
    /// Receive Maximum (3.3.4) bounds the QoS 1 and 2 publishes awaiting our answer: the queued
    /// acknowledgements and the QoS 2 messages awaiting PUBREL. A 5.0 client was told the bound, so going
    /// over it is its protocol error (0x93); a 3.1.1 client was not, so it is simply not read until an
    /// acknowledgement leaves, except that the QoS 2 bound stays an error for it as before. A resent QoS 2
    /// PUBLISH is already counted, but its answer takes a place in the queue, which stays bounded too.
    /// </summary>
    private async ValueTask MakeRoomAsync(MqttSession session, QualityOfService qos, bool resend, CancellationToken ct)
    {
        var maximum = server.Options.ReceiveMaximum;
        while (true)
        {
            Task room;
            lock (_acksLock)
            {
                var owned = 0;
                if (!resend)
                {
                    lock (session.Gate)
                    {
                        owned = session.IncomingQoS2Count;
                    }
                }

                var queued = _acks?.Count ?? 0;
                if (queued + owned < maximum)
                {
                    return;
                }

                if (IsV5 || queued == 0)
                {
                    if (IsV5 || (qos == QualityOfService.ExactlyOnce && owned >= maximum))
                    {
                        throw new MqttProtocolException(ReasonCode.ReceiveMaximumExceeded, "more unacknowledged QoS 1 and 2 publishes than Receive Maximum (3.3.4)");
                    }

                    return;
                }

                room = (_ackRoom ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await room.WaitAsync(ct);
        }
    }

    /// <summary>The connection is closing: owed acknowledgements are dropped, their tasks still observed.</summary>
    private void CloseAcks()
    {
        lock (_acksLock)
        {
            DropAcks();
        }
    }

    private void DropAcks()
    {
        _acksClosed = true;
        while (_acks is not null && _acks.TryDequeue(out var ack))
        {
            ack.Verdict.ObserveFaults();
        }

        _pendingRecs?.Clear();
        _ackRoom?.TrySetCanceled();
        _ackRoom = null;
    }
}
