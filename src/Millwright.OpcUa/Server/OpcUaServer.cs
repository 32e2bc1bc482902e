using System.Net;
using System.Net.Sockets;

namespace Millwright.OpcUa.Server;

/// <summary>
/// A small OPC UA server written from OPC 10000-4/-6 on this library's codec, for the virtual factory's machines:
/// UA-TCP on one port, security policy None, anonymous sessions, the services a machine's client needs (see
/// <see cref="ServerConnection"/>) over the variables and methods of <see cref="Space"/>. Not a general server: no
/// Browse, no security, no retransmission queue.
/// </summary>
internal sealed class OpcUaServer(IPEndPoint endPoint) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Socket? _listener;
    private Task? _accept;
    private uint _nextChannel;
    private long _faults;

    public ServerAddressSpace Space { get; } = new();

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("the server is not started"));

    public string Endpoint => $"opc.tcp://{LocalEndPoint.Address}:{LocalEndPoint.Port}";

    /// <summary>Connections served since the start.</summary>
    public long ConnectionsAccepted => Volatile.Read(ref _nextChannel);

    /// <summary>Connections that ended with an exception the connection does not expect (a bug: the fuzz test wants none), and the last one.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    public Exception? LastFault { get; private set; }

    public void Start()
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(endPoint);
        listener.Listen(16);
        _listener = listener;
        _accept = AcceptAsync(listener, _stop.Token);
    }

    private async Task AcceptAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            var channel = Interlocked.Increment(ref _nextChannel);
            var connection = new ServerConnection(client, Space, Endpoint, channel);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(connection, ct));
            }
        }
    }

    private async Task ServeAsync(ServerConnection connection, CancellationToken ct)
    {
        await using (connection)
        {
            await Task.Yield();
            try
            {
                await connection.RunAsync(ct);
            }
            catch (Exception e)
            {
                // One client's connection ends; the server and the other connections go on.
                LastFault = e;
                Interlocked.Increment(ref _faults);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Dispose();
        if (_accept is not null)
        {
            await _accept;
        }

        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
