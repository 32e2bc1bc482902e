using System.Buffers;
using BenchmarkDotNet.Attributes;
using Millwright.Mqtt;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Benchmarks;

/// <summary>
/// The broker's hot path: decoding PUBLISH from devices and encoding PUBLISH to subscribers. A telemetry
/// message is about 100 bytes of JSON on a topic like mw/{tenant}/{device}/telemetry.
/// </summary>
[MemoryDiagnoser]
public class MqttCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private MqttDecoder _decoder311 = null!;
    private MqttDecoder _decoder5 = null!;
    private byte[] _publish311 = [];
    private byte[] _publish5 = [];
    private ReadOnlySequence<byte> _publish311Split;
    private PublishPacket _packet = null!;
    private PublishPacket _packet5 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _decoder311 = new MqttDecoder(MqttProtocolVersion.V311);
        _decoder5 = new MqttDecoder(MqttProtocolVersion.V500);
        var payload = new byte[100];
        Random.Shared.NextBytes(payload);
        _packet = new PublishPacket { Topic = "mw/acme/press-0042/telemetry", Payload = payload, QoS = QualityOfService.AtLeastOnce, PacketId = 17 };
        _packet5 = new PublishPacket
        {
            Topic = "mw/acme/press-0042/telemetry",
            Payload = payload,
            QoS = QualityOfService.AtLeastOnce,
            PacketId = 17,
            Properties = new MqttProperties { ContentType = "application/json", MessageExpiryInterval = 60, UserProperties = [new("site", "plant-2")] },
        };
        _publish311 = Encode(_packet, MqttProtocolVersion.V311);
        _publish5 = Encode(_packet5, MqttProtocolVersion.V500);
        var first = new Segment(_publish311.AsMemory(0, 40));
        var last = first.Append(_publish311.AsMemory(40));
        _publish311Split = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    [Benchmark(Baseline = true)]
    public MqttPacket? DecodePublish311()
    {
        _decoder311.TryDecode(_publish311, out var packet, out _);
        return packet;
    }

    [Benchmark]
    public MqttPacket? DecodePublish311SplitAcrossSegments()
    {
        var sequence = _publish311Split;
        _decoder311.TryDecode(ref sequence, out var packet);
        return packet;
    }

    [Benchmark]
    public MqttPacket? DecodePublish5WithProperties()
    {
        _decoder5.TryDecode(_publish5, out var packet, out _);
        return packet;
    }

    [Benchmark]
    public int EncodePublish311()
    {
        _output.ResetWrittenCount();
        return MqttEncoder.Encode(_packet, MqttProtocolVersion.V311, _output);
    }

    [Benchmark]
    public int EncodePublish5WithProperties()
    {
        _output.ResetWrittenCount();
        return MqttEncoder.Encode(_packet5, MqttProtocolVersion.V500, _output);
    }

    private static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttEncoder.Encode(packet, version, output);
        return output.WrittenSpan.ToArray();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
