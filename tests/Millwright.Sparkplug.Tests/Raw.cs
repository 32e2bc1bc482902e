using Google.Protobuf;
using Millwright.Sparkplug.Protobuf;
using PbMetric = Millwright.Sparkplug.Protobuf.Payload.Types.Metric;

namespace Millwright.Sparkplug.Tests;

/// <summary>Hand-built payloads through the generated types, for what our own encoder would never send.</summary>
internal static class Raw
{
    public const ulong Timestamp = 1_486_144_502_122;

    public static Payload Payload(ulong? seq, params PbMetric[] metrics)
    {
        var p = new Payload { Timestamp = Timestamp };
        if (seq is { } s)
        {
            p.Seq = s;
        }

        p.Metrics.AddRange(metrics);
        return p;
    }

    public static PbMetric Metric(string? name, ulong? alias, SparkplugDataType? type, Action<PbMetric>? value = null)
    {
        var m = new PbMetric { Timestamp = Timestamp };
        if (name is not null)
        {
            m.Name = name;
        }

        if (alias is { } a)
        {
            m.Alias = a;
        }

        if (type is { } t)
        {
            m.Datatype = (uint)t;
        }

        value?.Invoke(m);
        return m;
    }

    public static PbMetric BdSeq(ulong value) => Metric("bdSeq", null, SparkplugDataType.UInt64, m => m.LongValue = value);

    public static PbMetric Rebirth() => Metric("Node Control/Rebirth", null, SparkplugDataType.Boolean, m => m.BooleanValue = false);

    public static SparkplugMessage Decode(string topic, Payload payload) =>
        SparkplugDecoder.Decode(topic, payload.ToByteArray());
}
