using Google.Protobuf;
using Millwright.Sparkplug.Protobuf;
using PbDataSet = Millwright.Sparkplug.Protobuf.Payload.Types.DataSet;
using PbMetric = Millwright.Sparkplug.Protobuf.Payload.Types.Metric;
using PbTemplate = Millwright.Sparkplug.Protobuf.Payload.Types.Template;

namespace Millwright.Sparkplug;

/// <summary>CLR values to generated protobuf metrics; the inverse of <see cref="MetricDecoder"/>.</summary>
internal static class MetricEncoder
{
    /// <param name="includeType">False for DATA messages: 6.4.6 requires the datatype only in births.</param>
    public static PbMetric Encode(
        string? name, ulong? alias, SparkplugDataType type, object? value, DateTimeOffset? timestamp, bool includeType = true)
    {
        var m = new PbMetric();
        if (name is not null)
        {
            m.Name = name;
        }

        if (alias is { } a)
        {
            m.Alias = a;
        }

        if (timestamp is { } t)
        {
            m.Timestamp = SparkplugValues.FromTimestamp(t);
        }

        if (includeType)
        {
            m.Datatype = (uint)type;
        }

        if (value is null)
        {
            m.IsNull = true;
            return m;
        }

        switch (SparkplugValues.ToRaw(type, value))
        {
            case uint v: m.IntValue = v; break;
            case ulong v: m.LongValue = v; break;
            case float v: m.FloatValue = v; break;
            case double v: m.DoubleValue = v; break;
            case bool v: m.BooleanValue = v; break;
            case string v: m.StringValue = v; break;
            case byte[] v: m.BytesValue = ByteString.CopyFrom(v); break;
            case SparkplugDataSet v: m.DatasetValue = EncodeDataSet(v); break;
            case SparkplugTemplate v: m.TemplateValue = EncodeTemplate(v); break;
            default: throw new InvalidOperationException("ToRaw returned an unexpected representation.");
        }

        return m;
    }

    public static Payload NewPayload(DateTimeOffset timestamp, byte? seq)
    {
        var p = new Payload { Timestamp = SparkplugValues.FromTimestamp(timestamp) };
        if (seq is { } s)
        {
            p.Seq = s;
        }

        return p;
    }

    private static PbDataSet EncodeDataSet(SparkplugDataSet ds)
    {
        if (ds.Columns.Count != ds.Types.Count)
        {
            throw new ArgumentException("A DataSet needs one type per column.", nameof(ds));
        }

        var result = new PbDataSet { NumOfColumns = (ulong)ds.Columns.Count };
        result.Columns.AddRange(ds.Columns);
        result.Types_.AddRange(ds.Types.Select(t => (uint)t));
        foreach (var row in ds.Rows)
        {
            var pbRow = new PbDataSet.Types.Row();
            for (var i = 0; i < ds.Types.Count; i++)
            {
                var cell = new PbDataSet.Types.DataSetValue();
                switch (row[i] is null ? null : SparkplugValues.ToRaw(ds.Types[i], row[i]!))
                {
                    case null: break;
                    case uint v: cell.IntValue = v; break;
                    case ulong v: cell.LongValue = v; break;
                    case float v: cell.FloatValue = v; break;
                    case double v: cell.DoubleValue = v; break;
                    case bool v: cell.BooleanValue = v; break;
                    case string v: cell.StringValue = v; break;
                    default: throw new ArgumentException($"DataSet column type {ds.Types[i]} is not a basic type.", nameof(ds));
                }

                pbRow.Elements.Add(cell);
            }

            result.Rows.Add(pbRow);
        }

        return result;
    }

    private static PbTemplate EncodeTemplate(SparkplugTemplate t)
    {
        var result = new PbTemplate { IsDefinition = t.IsDefinition };
        if (t.Version is not null)
        {
            result.Version = t.Version;
        }

        if (t.TemplateRef is not null)
        {
            result.TemplateRef = t.TemplateRef;
        }

        foreach (var m in t.Metrics)
        {
            result.Metrics.Add(Encode(m.Name, m.Alias, m.DataType, m.Value, m.Timestamp));
        }

        foreach (var p in t.Parameters)
        {
            var parameter = new PbTemplate.Types.Parameter { Type = (uint)p.Type };
            if (p.Name is not null)
            {
                parameter.Name = p.Name;
            }

            switch (p.Value is null ? null : SparkplugValues.ToRaw(p.Type, p.Value))
            {
                case null: break;
                case uint v: parameter.IntValue = v; break;
                case ulong v: parameter.LongValue = v; break;
                case float v: parameter.FloatValue = v; break;
                case double v: parameter.DoubleValue = v; break;
                case bool v: parameter.BooleanValue = v; break;
                case string v: parameter.StringValue = v; break;
                default: throw new ArgumentException($"Template parameter type {p.Type} is not a basic type.", nameof(t));
            }

            result.Parameters.Add(parameter);
        }

        return result;
    }
}
