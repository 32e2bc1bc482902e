using Google.Protobuf;
using Millwright.Sparkplug.Protobuf;

namespace Millwright.Sparkplug;

/// <summary>
/// Decodes Sparkplug B payloads of untrusted bytes. Whatever the bytes, the result is a
/// <see cref="SparkplugMessage"/> or a <see cref="SparkplugProtocolException"/>; protobuf errors are wrapped.
/// </summary>
public static class SparkplugDecoder
{
    public const string BdSeqMetric = "bdSeq";
    public const string RebirthMetric = "Node Control/Rebirth";

    public static SparkplugMessage Decode(string topic, ReadOnlySpan<byte> payload) =>
        Decode(SparkplugTopic.Parse(topic), payload);

    public static SparkplugMessage Decode(SparkplugTopic topic, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.MessageType == SparkplugMessageType.State)
        {
            throw new SparkplugProtocolException("STATE payloads are JSON, not Sparkplug B protobuf (4.3); use SparkplugHostState.Parse.");
        }

        // Lengths are checked before Google.Protobuf parses (see WireFormatGuard for the upstream bug it avoids).
        WireFormatGuard.Check(payload);
        Payload payloadMessage;
        try
        {
            payloadMessage = Payload.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SparkplugProtocolException($"{topic}: the payload is not a valid Sparkplug B protobuf message ({e.Message}).", e);
        }

        return FromPayload(topic, payloadMessage);
    }

    internal static SparkplugMessage FromPayload(SparkplugTopic topic, Payload p)
    {
        var type = topic.MessageType;
        var isBirth = type is SparkplugMessageType.NBirth or SparkplugMessageType.DBirth;
        var seq = CheckSeq(topic, p);

        var metrics = new SparkplugMetric[p.Metrics.Count];
        HashSet<ulong>? aliases = isBirth ? [] : null;
        HashSet<string>? names = isBirth ? new(StringComparer.Ordinal) : null;
        for (var i = 0; i < metrics.Length; i++)
        {
            var metric = MetricDecoder.Decode(p.Metrics[i], valueRequired: true);
            if (isBirth)
            {
                // 6.4.6: births name every metric and give its datatype; aliases and names are unique in the birth.
                if (metric.Name is null || metric.DataType == SparkplugDataType.Unknown)
                {
                    throw new SparkplugProtocolException(
                        $"{topic}: metric #{i} of a birth certificate must have a name and a datatype (tck-id-payloads-alias-birth-requirement).");
                }

                if (!names!.Add(metric.Name) || (metric.Alias is { } alias && !aliases!.Add(alias)))
                {
                    throw new SparkplugProtocolException(
                        $"{topic}: metric '{metric.Name}' repeats a name or alias of the same birth (tck-id-payloads-alias-uniqueness).");
                }
            }
            else if (metric.Name is null && metric.Alias is null)
            {
                throw new SparkplugProtocolException($"{topic}: metric #{i} has neither a name nor an alias (tck-id-payloads-name-requirement).");
            }

            metrics[i] = metric;
        }

        byte? bdSeq = null;
        if (type is SparkplugMessageType.NBirth or SparkplugMessageType.NDeath)
        {
            bdSeq = FindBdSeq(topic, metrics);
        }

        // tck-id-topics-nbirth-rebirth-metric requires it, but edge nodes of the Sparkplug 2.2 era (and Tahu's own
        // JavaScript client unless the application adds it) omit it. The decoder reports it; the host decides.
        var lacksRebirth = type == SparkplugMessageType.NBirth && !metrics.Any(m => m is { Name: RebirthMetric, DataType: SparkplugDataType.Boolean });

        return new SparkplugMessage
        {
            Topic = topic,
            Timestamp = p.HasTimestamp ? SparkplugValues.ToTimestamp(p.Timestamp, $"{topic}: payload timestamp") : null,
            Seq = seq,
            Metrics = metrics,
            BdSeq = bdSeq,
            Uuid = p.HasUuid ? p.Uuid : null,
            Body = p.HasBody ? p.Body.ToByteArray() : null,
            LacksRebirthMetric = lacksRebirth,
        };
    }

    // 6.4.5: seq is in every message but NDEATH, 0..255, and 0 in NBIRTH. Commands come from host applications,
    // which have no sequence of their own, so seq is optional there.
    private static byte? CheckSeq(SparkplugTopic topic, Payload p)
    {
        if (!p.HasSeq)
        {
            if (topic.MessageType is SparkplugMessageType.NDeath or SparkplugMessageType.NCmd or SparkplugMessageType.DCmd)
            {
                return null;
            }

            throw new SparkplugProtocolException($"{topic}: the payload has no seq (tck-id-payloads-sequence-num-always-included).");
        }

        if (p.Seq > byte.MaxValue)
        {
            throw new SparkplugProtocolException($"{topic}: seq {p.Seq} is above 255 (tck-id-payloads-sequence-num-incrementing).");
        }

        if (topic.MessageType == SparkplugMessageType.NBirth && p.Seq != 0)
        {
            throw new SparkplugProtocolException($"{topic}: NBIRTH seq is {p.Seq}, not 0 (tck-id-payloads-nbirth-seq).");
        }

        return (byte)p.Seq;
    }

    // 4.2.1: NBIRTH and NDEATH carry the bdSeq metric that ties a birth to its will message; 0..255
    // (tck-id-payloads-nbirth-bdseq-inc). Any integer datatype is accepted: edge libraries use Int64 or UInt64.
    private static byte FindBdSeq(SparkplugTopic topic, SparkplugMetric[] metrics)
    {
        var metric = Array.Find(metrics, m => m.Name == BdSeqMetric)
            ?? throw new SparkplugProtocolException($"{topic}: the payload has no '{BdSeqMetric}' metric (tck-id-topics-nbirth-bdseq-included).");
        ulong? value = metric.Value switch
        {
            sbyte v when v >= 0 => (ulong)v,
            short v when v >= 0 => (ulong)v,
            int v when v >= 0 => (ulong)v,
            long v when v >= 0 => (ulong)v,
            byte v => v,
            ushort v => v,
            uint v => v,
            ulong v => v,
            _ => null,
        };
        if (value is not { } bdSeq || bdSeq > byte.MaxValue)
        {
            throw new SparkplugProtocolException($"{topic}: '{BdSeqMetric}' must be an integer from 0 to 255 (tck-id-payloads-nbirth-bdseq-inc).");
        }

        return (byte)bdSeq;
    }
}
