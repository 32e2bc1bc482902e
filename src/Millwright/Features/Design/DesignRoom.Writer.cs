using Millwright.Design;
using Millwright.Design.Parameters;

namespace Millwright.Features.Design;

/// <summary>The room's single writer: check, apply, store, then acknowledge and fan out.</summary>
internal sealed partial class DesignRoom
{
    private const int BatchLimit = 256;

    private async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<DesignSubmission>();
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(stopping))
            {
                batch.Clear();
                while (batch.Count < BatchLimit && _inbox.Reader.TryRead(out var submission))
                {
                    batch.Add(submission);
                }

                await _writing.WaitAsync(stopping);
                try
                {
                    await ProcessAsync(batch, stopping);
                }
                finally
                {
                    _writing.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: what was not stored was not acknowledged, and its authors send it again.
        }
    }

    private async Task ProcessAsync(List<DesignSubmission> batch, CancellationToken stopping)
    {
        var accepted = new List<(DesignOp Op, string Actor)>();
        var acks = new Dictionary<DesignMember, List<long>>();
        var refused = new List<(DesignMember Member, string Code, string Message, long Counter)>();
        var skipped = new List<OpStamp>();
        var computed = new Dictionary<ParameterRef, ParameterResult>();
        lock (_gate)
        {
            foreach (var submission in batch)
            {
                var member = submission.Member;
                foreach (var wire in submission.Ops)
                {
                    var op = wire.Stamped(member.Replica);
                    if (_tree.Knows(op.Stamp))
                    {
                        // Sent again (the client did not see the ack before it lost the connection): the same op is acknowledged again.
                        var held = _tree.Find(op.Stamp);
                        if (held is not null && held != op)
                        {
                            refused.Add((member, "refused", $"counter {op.Stamp.Counter} was used already by another operation of replica {member.Replica}", op.Stamp.Counter));
                            break;
                        }

                        Acks(acks, member).Add(op.Stamp.Counter);
                        continue;
                    }

                    var refusal = Check(op);
                    if (refusal is not null)
                    {
                        // The rest of the message may build on this one, so it is refused as a whole from here.
                        refused.Add((member, refusal.StartsWith("stale", StringComparison.Ordinal) ? "stale" : "refused", refusal, op.Stamp.Counter));
                        break;
                    }

                    _tree.Apply(op, skipped);
                    if (op.Kind == DesignOpKind.Set && ParameterSheet.Evaluates(op.Field))
                    {
                        // The field's value after the merge (a late write may lose to a later one): what the sheet evaluates.
                        foreach (var result in _sheet.Set(new ParameterRef(op.Node, op.Field!), _tree.FieldOf(op.Node, op.Field!)))
                        {
                            computed[result.Ref] = result;
                        }
                    }

                    if (op.Kind == DesignOpKind.Set && DesignFields.IsRequirement(op.Field!))
                    {
                        TrackRequirement(op.Node, Requirements.NameOf(op.Field!));
                    }

                    accepted.Add((op, member.Caller.Actor));
                    Acks(acks, member).Add(op.Stamp.Counter);
                }
            }

            if (accepted.Count > 0)
            {
                _version++;
            }
        }

        if (accepted.Count > 0 && !await StoreAsync(accepted, batch, stopping))
        {
            return;
        }

        lock (_gate)
        {
            foreach (var (member, counters) in acks)
            {
                member.Send(ChannelMessages.Ack(counters));
            }

            if (accepted.Count > 0)
            {
                SendOps(accepted);
            }

            if (computed.Count > 0)
            {
                Broadcast(ChannelMessages.Parameters(computed.Values, all: false), except: null);
            }

            if (accepted.Count > 0)
            {
                BroadcastRequirementsLocked();
            }

            foreach (var stamp in skipped.Where(s => _tree.Skipped.Contains(s)))
            {
                if (_members.TryGetValue(stamp.Replica, out var author) && _tree.Find(stamp) is { } op)
                {
                    author.Send(ChannelMessages.Reverted(op, _tree.PathOf(op.Parent!)));
                }
            }

            foreach (var (member, code, message, counter) in refused)
            {
                member.Send(ChannelMessages.Error(code, message, counter));
                member.Send(StateLocked());
            }

            Settle(_tree, default);
        }
    }

    /// <summary>Appends the batch; on failure the room reloads what is stored and every author in the batch resyncs.</summary>
    private async Task<bool> StoreAsync(List<(DesignOp Op, string Actor)> accepted, List<DesignSubmission> batch, CancellationToken stopping)
    {
        try
        {
            await DesignStore.AppendAsync(_hub.Database, Tenant, Project, accepted, _hub.Clock.GetUtcNow().ToUnixTimeMilliseconds(), stopping);
            return true;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            _hub.Logger.LogError(e, "Storing {Count} design operations of project {Project} failed; the room reloads", accepted.Count, Project);
            var (ops, cut) = await DesignStore.LoadAsync(_hub.Database, Tenant, Project, stopping);
            lock (_gate)
            {
                _tree = Build(ops, cut);
                _sheet = ParameterSheet.Of(_tree);
                _requirements = Requirements.KeysOf(_tree).ToHashSet();
                _version++;
                // Everyone resyncs: a member that joined meanwhile may have been sent the state with the lost operations.
                var authors = batch.Select(b => b.Member).ToHashSet();
                foreach (var member in _members.Values)
                {
                    if (authors.Contains(member))
                    {
                        member.Send(ChannelMessages.Error("storage", "the server could not store these operations; they were not applied"));
                    }

                    member.Send(StateLocked());
                }
            }

            return false;
        }
    }

    /// <summary>Each member gets the batch's operations that are not its own, in one message.</summary>
    private void SendOps(List<(DesignOp Op, string Actor)> accepted)
    {
        var authors = accepted.Select(a => a.Op.Stamp.Replica).Distinct(StringComparer.Ordinal).ToList();
        var all = ChannelMessages.Ops(accepted.Select(a => a.Op));
        var byAuthor = authors.Count == 1 ? null : new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            if (!authors.Contains(member.Replica))
            {
                member.Send(all);
            }
            else if (byAuthor is not null)
            {
                if (!byAuthor.TryGetValue(member.Replica, out var others))
                {
                    others = ChannelMessages.Ops(accepted.Where(a => a.Op.Stamp.Replica != member.Replica).Select(a => a.Op));
                    byAuthor[member.Replica] = others;
                }

                member.Send(others);
            }
        }
    }

    /// <summary>" on PATH" (and the field) for an operation on a node the tree has, so a refusal names the element.</summary>
    private string Target(DesignOp op) =>
        _tree.Contains(op.Node) ? $" on {DesignRules.Path(_tree, op.Node)}{(op.Field is { } f ? $" ({f})" : "")}" : "";

    /// <summary>Why <paramref name="op"/> cannot enter the log, or null. The message names the path to the element.</summary>
    private string? Check(DesignOp op)
    {
        if (_tree.IsStale(op.Stamp))
        {
            return $"stale: operation {op.Stamp}{Target(op)} is at or before {_tree.Floor}, which is settled (released or more than {LateWindow} operations ago); resync and send it again with a new counter";
        }

        if (_tree.LaterThan(op.Stamp) > LateWindow)
        {
            return $"stale: operation {op.Stamp}{Target(op)} would land behind more than {LateWindow} later operations; resync and send it again with a new counter";
        }

        if (op.Stamp.Counter > _tree.Clock + MaxAhead)
        {
            return $"counter {op.Stamp.Counter} is more than {MaxAhead} ahead of the project's clock {_tree.Clock}";
        }

        if (op.Kind == DesignOpKind.Move)
        {
            if (op.Node is DesignTree.Root or DesignTree.Trash)
            {
                return $"{op.Node} cannot be moved";
            }

            if (!_tree.Contains(op.Parent!))
            {
                return $"there is no node {op.Parent} to move {op.Node} under";
            }

            return DesignRules.CheckMove(_tree, op);
        }

        if (!_tree.Contains(op.Node))
        {
            return $"there is no node {op.Node}";
        }

        var field = DesignFields.Check(op.Field!, op.Value);
        if (field is not null)
        {
            return $"{field} (at {string.Join(" / ", _tree.PathOf(op.Node))})";
        }

        var rule = DesignRules.CheckSet(_tree, op);
        if (rule is null && ParameterSheet.Evaluates(op.Field) && _tree.WouldWin(op) && _sheet.Trial(new ParameterRef(op.Node, op.Field!), op.Value) is { } broken)
        {
            // A formula that does not evaluate (unknown reference, cycle, unit mismatch) or one that breaks another.
            return $"{op.Field} of {DesignRules.Path(_tree, op.Node)}: {broken}";
        }

        return rule;
    }

    private static List<long> Acks(Dictionary<DesignMember, List<long>> acks, DesignMember member)
    {
        if (!acks.TryGetValue(member, out var list))
        {
            list = [];
            acks[member] = list;
        }

        return list;
    }
}
