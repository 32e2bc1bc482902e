using System.Threading.Channels;
using Millwright.Design;
using Millwright.Design.Parameters;

namespace Millwright.Features.Design;

/// <summary>
/// One project's live replica on the server and its connected members. A single writer loop takes what members
/// submit in batches: it checks each operation (stale, malformed, breaking a rule: refused with an error and a resync
/// to its author, never applied), applies the rest to the tree, appends them to the log in one transaction, and only
/// then acknowledges them to their authors, sends them to everyone else and tells authors whose moves the merge
/// reverted. Reads (state, structure, presence) take the lock the writer holds while it changes the tree.
/// </summary>
internal sealed partial class DesignRoom : IDisposable
{
    /// <summary>How far behind the newest operation a late one may still be placed; older ones are stale (resync, send again).</summary>
    public const int LateWindow = 1_000;

    /// <summary>How far ahead of the room's clock a counter may jump: a client cannot push the clock to its end.</summary>
    public const long MaxAhead = 1_000_000;

    private readonly DesignHub _hub;
    private readonly object _gate = new();

    // Held by the writer while a batch is between applied and stored, and by a release while it freezes the structure:
    // a revision never holds an edit that is not in the log.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Dictionary<string, DesignMember> _members = new(StringComparer.Ordinal);
    private readonly Channel<DesignSubmission> _inbox = Channel.CreateBounded<DesignSubmission>(new BoundedChannelOptions(4_096)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private DesignTree _tree;
    private ParameterSheet _sheet;

    // The requirements (node, name) of the structure, kept as edits come so that a batch recomputes only these; and the
    // last requirements message sent, so that everyone is told only when a status (or a requirement) changed.
    private HashSet<(string Node, string Name)> _requirements;
    private byte[]? _requirementsSent;
    private Task _loop = Task.CompletedTask;
    private long _version;
    private (long Version, byte[] Bytes)? _state;

    public DesignRoom(DesignHub hub, long tenant, long project, IReadOnlyList<DesignOp> ops, OpStamp cut)
    {
        _hub = hub;
        Tenant = tenant;
        Project = project;
        _tree = Build(ops, cut);
        _sheet = ParameterSheet.Of(_tree);
        _requirements = Requirements.KeysOf(_tree).ToHashSet();
    }

    public long Tenant { get; }

    public long Project { get; }

    public void Start(CancellationToken stopping) => _loop = RunAsync(stopping);

    /// <summary>Stops taking submissions and waits for the writer to store and acknowledge what it already took.</summary>
    public Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        return _loop;
    }

    /// <summary>After <see cref="StopAsync"/>: the writer is done with its lock.</summary>
    public void Dispose() => _writing.Dispose();

    /// <summary>Adds a member, or says why not (its replica is connected already).</summary>
    public string? Join(DesignMember member)
    {
        lock (_gate)
        {
            if (!_members.TryAdd(member.Replica, member))
            {
                return $"replica {member.Replica} is connected already; one connection per replica name";
            }

            member.Send(ChannelMessages.Welcome(member, Project, _members.Values.Where(m => m != member)));
            member.Send(StateLocked());
            member.Send(ChannelMessages.Parameters(_sheet.Results, all: true));
            SendRequirementsLocked(member);
            Broadcast(ChannelMessages.Presence(member, left: false), except: member);
            return null;
        }
    }

    public void Leave(DesignMember member)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(member.Replica, out var held) && held == member)
            {
                _members.Remove(member.Replica);
                Broadcast(ChannelMessages.Presence(member, left: true), except: member);
            }
        }
    }

    public void Look(DesignMember member, string? node)
    {
        lock (_gate)
        {
            member.Looking = node;
            Broadcast(ChannelMessages.Presence(member, left: false), except: member);
        }
    }

    public ValueTask SubmitAsync(DesignSubmission submission, CancellationToken ct) => _inbox.Writer.WriteAsync(submission, ct);

    /// <summary>Sends <paramref name="member"/> the whole state again (after an error, or when it asks).</summary>
    public void Resync(DesignMember member)
    {
        lock (_gate)
        {
            member.Send(StateLocked());
            member.Send(ChannelMessages.Parameters(_sheet.Results, all: true));
            SendRequirementsLocked(member);
        }
    }

    /// <summary>
    /// Freezes the structure as it is stored now and hands it to <paramref name="store"/> (which records the revision);
    /// once that succeeded the log is settled at the revision's cut, so no edit stamped at or before it can land.
    /// </summary>
    public async Task<T> FreezeAsync<T>(Func<RevisionStructure, Task<T>> store, CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            RevisionStructure frozen;
            lock (_gate)
            {
                frozen = RevisionStructure.Of(_tree, _sheet);
            }

            var result = await store(frozen);
            lock (_gate)
            {
                _tree.Settle(frozen.Cut);
                _version++;
            }

            return result;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Every parameter and constraint of the design as evaluated now.</summary>
    public List<ParameterResult> Parameters()
    {
        lock (_gate)
        {
            return _sheet.Results.ToList();
        }
    }

    /// <summary>Every requirement of the design with its status now.</summary>
    public List<RequirementDto> RequirementsNow()
    {
        lock (_gate)
        {
            return Requirements.Of(_tree, _sheet, _requirements);
        }
    }

    /// <summary>Runs <paramref name="read"/> on the current tree under the lock.</summary>
    public T Read<T>(Func<DesignTree, T> read)
    {
        lock (_gate)
        {
            return read(_tree);
        }
    }

    /// <summary>The member count and who looks at what, for the REST view of the project.</summary>
    public List<(string Replica, string Actor, string? Node)> Presence()
    {
        lock (_gate)
        {
            return _members.Values.Select(m => (m.Replica, m.Caller.KeyName, m.Looking)).ToList();
        }
    }

    private byte[] StateLocked()
    {
        if (_state is { } cached && cached.Version == _version)
        {
            return cached.Bytes;
        }

        var bytes = ChannelMessages.State(_tree.Snapshot());
        _state = (_version, bytes);
        return bytes;
    }

    private void Broadcast(byte[] message, DesignMember? except)
    {
        foreach (var member in _members.Values)
        {
            if (member != except)
            {
                member.Send(message);
            }
        }
    }

    private static DesignTree Build(IReadOnlyList<DesignOp> ops, OpStamp cut)
    {
        var tree = new DesignTree();
        foreach (var op in ops)
        {
            tree.Apply(op);
        }

        Settle(tree, cut);
        return tree;
    }

    /// <summary>Settles up to the last released cut, and all but the last <see cref="LateWindow"/> operations once the log is twice that.</summary>
    private static void Settle(DesignTree tree, OpStamp cut)
    {
        tree.Settle(cut);
        if (tree.Count > 2 * LateWindow)
        {
            tree.Settle(tree.StampAt(tree.Count - LateWindow - 1));
        }
    }
}
