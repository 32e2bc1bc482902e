using System.Threading.Channels;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>
/// One connected client of a design room: its key, its replica (the name its stamps carry) and its outbox, which
/// only the connection's writer drains. A client that lets its outbox fill is cut off (it resyncs when it returns)
/// rather than holding up the room.
/// </summary>
internal sealed class DesignMember(Caller caller, string replica, int outboxCapacity)
{
    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(outboxCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public Caller Caller { get; } = caller;

    public string Replica { get; } = replica;

    public bool ReadOnly => Caller.Role is not (Role.Operator or Role.TenantAdmin);

    /// <summary>The node the client says it is looking at (presence); written under the room's lock.</summary>
    public string? Looking { get; set; }

    /// <summary>Set when the outbox overflowed: the connection closes with this reason.</summary>
    public string? Overflow { get; private set; }

    public ChannelReader<byte[]> Outbox => _outbox.Reader;

    public void Send(byte[] message)
    {
        if (!_outbox.Writer.TryWrite(message) && Overflow is null)
        {
            Overflow = "too slow: the server's queue for this client is full; reconnect and resync";
            _outbox.Writer.TryComplete();
        }
    }

    public void Finish() => _outbox.Writer.TryComplete();
}
