using System.Net.Sockets;

namespace Millwright.OpcUa.Transport;

/// <summary>
/// A UA-TCP connection (OPC 10000-6 7.1): the socket, Hello/Acknowledge, and whole chunks in and out. Reading is
/// done by one loop (the secure channel's); writes are serialised here.
/// </summary>
internal sealed class UaTcpConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _header = new byte[TcpFraming.HeaderSize];

    private UaTcpConnection(TcpClient client, TransportLimits local, TransportLimits remote)
    {
        _client = client;
        _stream = client.GetStream();
        Local = local;
        Remote = remote;
    }

    /// <summary>Our limits, as announced in the Hello.</summary>
    public TransportLimits Local { get; }

    /// <summary>The server's, from its Acknowledge: its ReceiveBufferSize bounds our chunks, its MaxMessageSize our requests.</summary>
    public TransportLimits Remote { get; }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>, says Hello and waits for Acknowledge (or ERR).</summary>
    public static async Task<UaTcpConnection> OpenAsync(string host, int port, string endpointUrl, TransportLimits local,
        Func<string, int, CancellationToken, Task<Socket>>? connector, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            if (connector is null)
            {
                await client.ConnectAsync(host, port, ct);
            }
            else
            {
                // The caller's socket (connected where its policy allows) replaces the client's own, unconnected one.
                client.Client.Dispose();
                client.Client = await connector(host, port, ct);
                client.NoDelay = true;
            }

            var stream = client.GetStream();
            await stream.WriteAsync(TcpFraming.Hello(local, endpointUrl), ct);
            var header = new byte[TcpFraming.HeaderSize];
            var chunk = await ReadAsync(stream, header, local.ReceiveBufferSize, ct);
            return chunk.Type switch
            {
                TcpMessageType.Acknowledge => new UaTcpConnection(client, local, TcpFraming.ParseAcknowledge(chunk.Body)),
                TcpMessageType.Error => throw TcpFraming.ParseError(chunk.Body, "the server refused the Hello"),
                _ => throw new OpcUaProtocolException(StatusCode.BadTcpMessageTypeInvalid, $"the server answered Hello with {chunk.Type}"),
            };
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task<TcpChunk> ReadAsync(CancellationToken ct) => ReadAsync(_stream, _header, Local.ReceiveBufferSize, ct);

    public async Task WriteAsync(IReadOnlyList<byte[]> chunks, CancellationToken ct)
    {
        // All chunks of one message go out together: chunks of two messages must not interleave (6.7.2.1).
        await _writeLock.WaitAsync(ct);
        try
        {
            foreach (var chunk in chunks)
            {
                await _stream.WriteAsync(chunk, ct);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
        _writeLock.Dispose();
    }

    private static async Task<TcpChunk> ReadAsync(NetworkStream stream, byte[] header, uint receiveBufferSize, CancellationToken ct)
    {
        await FillAsync(stream, header, ct);
        var (type, chunk, length) = TcpFraming.ParseHeader(header, receiveBufferSize);
        var body = new byte[length];
        try
        {
            await FillAsync(stream, body, ct);
        }
        catch (OpcUaProtocolException e) when (e.Status == StatusCode.BadConnectionClosed && e.InnerException is EndOfStreamException)
        {
            // A header that announces more than the peer sends is a broken message, not a closed connection.
            throw new OpcUaProtocolException(StatusCode.BadDecodingError, $"the connection closed inside a {type} message of {length + TcpFraming.HeaderSize} bytes", e);
        }

        return new TcpChunk(type, chunk, body);
    }

    private static async Task FillAsync(NetworkStream stream, byte[] buffer, CancellationToken ct)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, ct);
        }
        catch (EndOfStreamException e)
        {
            throw new OpcUaProtocolException(StatusCode.BadConnectionClosed, "the server closed the connection", e);
        }
        catch (IOException e)
        {
            throw new OpcUaProtocolException(StatusCode.BadConnectionClosed, $"the connection broke: {e.Message}", e);
        }
    }
}
