using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Millwright.Mqtt;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Testing;

/// <summary>Just enough client to speak to a real broker with our encoder and decoder: send, receive, nothing else.</summary>
internal sealed class RawMqttClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly MqttDecoder _decoder;
    private readonly MqttProtocolVersion _version;
    private byte[] _received = new byte[64 * 1024];
    private int _length;
    private NetworkStream _stream = null!;

    public RawMqttClient(MqttProtocolVersion version)
    {
        _version = version;
        _decoder = new MqttDecoder(version, role: MqttDecoderRole.Client);
    }

    public async Task ConnectAsync(int port)
    {
        await _tcp.ConnectAsync(IPAddress.Loopback, port);
        _stream = _tcp.GetStream();
    }

    public async Task SendAsync(MqttPacket packet)
    {
        _output.ResetWrittenCount();
        MqttEncoder.Encode(packet, _version, _output);
        await _stream.WriteAsync(_output.WrittenMemory);
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next packet from the broker, or null when it closed the connection.</summary>
    public async Task<MqttPacket?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_decoder.TryDecode(_received.AsSpan(0, _length), out var packet, out var consumed))
            {
                _received.AsSpan(consumed, _length - consumed).CopyTo(_received);
                _length -= consumed;
                return packet;
            }

            if (_length == _received.Length)
            {
                Array.Resize(ref _received, _received.Length * 2);
            }

            var read = await _stream.ReadAsync(_received.AsMemory(_length), timeout.Token);
            if (read == 0)
            {
                return null;
            }

            _length += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _tcp.Dispose();
    }
}
