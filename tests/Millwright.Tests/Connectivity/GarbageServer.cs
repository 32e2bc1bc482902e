using System.Net;
using System.Net.Sockets;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// A TCP server that answers every connection with the next of its <see cref="Answers"/> (in turn), then closes:
/// the endpoint of a machine that is not what its map says. It records when each connection came, so a test can
/// see the poller's back-off in the gaps between attempts.
/// </summary>
internal sealed class GarbageServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _attempts = [];

    public GarbageServer(IReadOnlyList<byte[]> answers)
    {
        Answers = answers;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IReadOnlyList<byte[]> Answers { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<DateTimeOffset> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                int turn;
                lock (_lock)
                {
                    turn = _attempts.Count;
                    _attempts.Add(DateTimeOffset.UtcNow);
                }

                _ = AnswerAsync(socket, Answers[turn % Answers.Count]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task AnswerAsync(Socket socket, byte[] answer)
    {
        using (socket)
        {
            try
            {
                // The client speaks first (a Modbus request, an OPC UA Hello): answer once it has.
                var request = new byte[4096];
                await socket.ReceiveAsync(request, _stop.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                await socket.SendAsync(answer, _stop.Token);
                socket.Shutdown(SocketShutdown.Send);
                // Let the client close first, having read it all.
                await socket.ReceiveAsync(request, _stop.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
            {
                // The client went away first, or the test is over.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
