using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Millwright.Modbus;

/// <summary>
/// A Modbus TCP server (TCP implementation guide 4.4): serves FC 1-6, 15 and 16 from a register bank, answers
/// any unit id by echoing it (4.4.2.3: on TCP the unit id addresses gateways, a direct device ignores it), and
/// closes a connection whose MBAP header is broken. Each connection handles one request at a time.
/// </summary>
public sealed class ModbusTcpServer : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly int _maxConnections;
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _requests;
    private int _disposed;

    public ModbusTcpServer(ModbusRegisterBank bank, IPEndPoint endpoint, int maxConnections = 64)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConnections);
        Bank = bank;
        _endpoint = endpoint;
        _maxConnections = maxConnections;
    }

    public ModbusRegisterBank Bank { get; }

    /// <summary>The bound address; with port 0 this tells the ephemeral port chosen.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("Server not started"));

    public long RequestsServed => Interlocked.Read(ref _requests);

    public int ConnectionCount => _connections.Count;

    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("Server already started");
        }

        var listener = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets a restarted server take its port back while old connections sit in TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(_endpoint);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener?.Dispose();
        foreach (var socket in _connections.Keys)
        {
            socket.Dispose();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        await Task.WhenAll(_connections.Values);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_connections.Count >= _maxConnections)
            {
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            var gate = new TaskCompletionSource();
            _connections[socket] = gate.Task;
            _ = ServeAsync(socket, gate, stopping);
        }
    }

    private async Task ServeAsync(Socket socket, TaskCompletionSource done, CancellationToken stopping)
    {
        var request = new byte[ModbusLimits.MaxAduLength];
        var response = new byte[ModbusLimits.MaxAduLength];
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            while (!stopping.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(request.AsMemory(0, ModbusLimits.MbapLength), stopping);
                MbapHeader header;
                try
                {
                    header = MbapHeader.Read(request.AsSpan(0, ModbusLimits.MbapLength));
                }
                catch (ModbusProtocolException)
                {
                    return;
                }

                await stream.ReadExactlyAsync(request.AsMemory(ModbusLimits.MbapLength, header.PduLength), stopping);
                var length = ModbusRequestHandler.Handle(request.AsSpan(0, ModbusLimits.MbapLength + header.PduLength), response, Bank);
                if (length == 0)
                {
                    return;
                }

                await stream.WriteAsync(response.AsMemory(0, length), stopping);
                Interlocked.Increment(ref _requests);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping; either way this connection is over.
        }
        finally
        {
            socket.Dispose();
            _connections.TryRemove(socket, out _);
            done.TrySetResult();
        }
    }
}
