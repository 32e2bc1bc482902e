using Millwright.Sparkplug.Protobuf;
using PbDataSet = Millwright.Sparkplug.Protobuf.Payload.Types.DataSet;
using PbMetric = Millwright.Sparkplug.Protobuf.Payload.Types.Metric;
using PbPropertySet = Millwright.Sparkplug.Protobuf.Payload.Types.PropertySet;
using PbPropertyValue = Millwright.Sparkplug.Protobuf.Payload.Types.PropertyValue;
using PbTemplate = Millwright.Sparkplug.Protobuf.Payload.Types.Template;

namespace Millwright.Sparkplug;

/// <summary>
/// Turns generated metric, data set, template and property types into the library's plain records, checking
/// every value against its declared datatype. Nesting depth is bounded by the protobuf parser's recursion limit.
/// </summary>
internal static class MetricDecoder
{
    public static SparkplugMetric Decode(PbMetric m, bool valueRequired)
    {
        var what = Describe(m);
        var type = m.HasDatatype ? SparkplugValues.CheckType(m.Datatype, what) : SparkplugDataType.Unknown;
        if (type is SparkplugDataType.PropertySet or SparkplugDataType.PropertySetList)
        {
            throw new SparkplugProtocolException($"{what} has datatype {type}, which only property values may have (6.4.16).");
        }

        object? value = null;
        // 6.4.6: with is_null set the value "can be omitted"; a value sent anyway is ignored.
        if (!m.IsNull)
        {
            var raw = Raw(m, what);
            if (raw is null)
            {
                if (valueRequired)
                {
                    throw new SparkplugProtocolException($"{what} has neither a value nor is_null set (6.4.6).");
                }
            }
            else
            {
                value = type == SparkplugDataType.Unknown ? raw : SparkplugValues.FromRaw(type, raw, what);
            }
        }

        return new SparkplugMetric
        {
            Name = m.HasName ? m.Name : null,
            Alias = m.HasAlias ? m.Alias : null,
            Timestamp = m.HasTimestamp ? SparkplugValues.ToTimestamp(m.Timestamp, what + " timestamp") : null,
            DataType = type,
            Value = value,
            IsNull = m.IsNull,
            IsHistorical = m.IsHistorical,
            IsTransient = m.IsTransient,
            Properties = m.Properties is null ? null : DecodeProperties(m.Properties, what),
        };
    }

    private static string Describe(PbMetric m) =>
        m.HasName ? $"Metric '{m.Name}'" : m.HasAlias ? $"Metric with alias {m.Alias}" : "A metric";

    private static object? Raw(PbMetric m, string what) => m.ValueCase switch
    {
        PbMetric.ValueOneofCase.None => null,
        PbMetric.ValueOneofCase.IntValue => m.IntValue,
        PbMetric.ValueOneofCase.LongValue => m.LongValue,
        PbMetric.ValueOneofCase.FloatValue => m.FloatValue,
        PbMetric.ValueOneofCase.DoubleValue => m.DoubleValue,
        PbMetric.ValueOneofCase.BooleanValue => m.BooleanValue,
        PbMetric.ValueOneofCase.StringValue => m.StringValue,
        PbMetric.ValueOneofCase.BytesValue => m.BytesValue.ToByteArray(),
        PbMetric.ValueOneofCase.DatasetValue => DecodeDataSet(m.DatasetValue, what),
        PbMetric.ValueOneofCase.TemplateValue => DecodeTemplate(m.TemplateValue, what),
        _ => throw new SparkplugProtocolException($"{what} carries an extension_value, which Millwright does not interpret."),
    };

    // 6.4.11: columns, types and num_of_columns agree; each row has one value of its column's type per column.
    private static SparkplugDataSet DecodeDataSet(PbDataSet ds, string what)
    {
        var width = ds.Types_.Count;
        if (ds.Columns.Count != width || (ds.HasNumOfColumns && ds.NumOfColumns != (ulong)width))
        {
            throw new SparkplugProtocolException(
                $"{what}: DataSet has {ds.Columns.Count} columns, {width} types and num_of_columns {ds.NumOfColumns} (6.4.11).");
        }

        var types = new SparkplugDataType[width];
        for (var i = 0; i < width; i++)
        {
            types[i] = SparkplugValues.CheckType(ds.Types_[i], what);
            if (!SparkplugValues.IsBasic(types[i]))
            {
                throw new SparkplugProtocolException($"{what}: DataSet column type {types[i]} is not a basic type (6.4.11).");
            }
        }

        var rows = new List<IReadOnlyList<object?>>(ds.Rows.Count);
        foreach (var row in ds.Rows)
        {
            if (row.Elements.Count != width)
            {
                throw new SparkplugProtocolException($"{what}: DataSet row has {row.Elements.Count} values for {width} columns (6.4.12).");
            }

            var values = new object?[width];
            for (var i = 0; i < width; i++)
            {
                var e = row.Elements[i];
                object? raw = e.ValueCase switch
                {
                    PbDataSet.Types.DataSetValue.ValueOneofCase.None => null,
                    PbDataSet.Types.DataSetValue.ValueOneofCase.IntValue => e.IntValue,
                    PbDataSet.Types.DataSetValue.ValueOneofCase.LongValue => e.LongValue,
                    PbDataSet.Types.DataSetValue.ValueOneofCase.FloatValue => e.FloatValue,
                    PbDataSet.Types.DataSetValue.ValueOneofCase.DoubleValue => e.DoubleValue,
                    PbDataSet.Types.DataSetValue.ValueOneofCase.BooleanValue => e.BooleanValue,
                    PbDataSet.Types.DataSetValue.ValueOneofCase.StringValue => e.StringValue,
                    _ => throw new SparkplugProtocolException($"{what}: DataSet value is an extension_value (6.4.13)."),
                };
                values[i] = raw is null ? null : SparkplugValues.FromRaw(types[i], raw, what + " DataSet value");
            }

            rows.Add(values);
        }

        return new SparkplugDataSet([.. ds.Columns], types, rows);
    }

    // 6.4.14: members of a definition may lack values (they are the type's shape), so no value is required.
    private static SparkplugTemplate DecodeTemplate(PbTemplate t, string what)
    {
        var metrics = new List<SparkplugMetric>(t.Metrics.Count);
        foreach (var member in t.Metrics)
        {
            metrics.Add(Decode(member, valueRequired: false));
        }

        var parameters = new List<SparkplugTemplateParameter>(t.Parameters.Count);
        foreach (var p in t.Parameters)
        {
            var type = p.HasType ? SparkplugValues.CheckType(p.Type, what) : SparkplugDataType.Unknown;
            object? raw = p.ValueCase switch
            {
                PbTemplate.Types.Parameter.ValueOneofCase.None => null,
                PbTemplate.Types.Parameter.ValueOneofCase.IntValue => p.IntValue,
                PbTemplate.Types.Parameter.ValueOneofCase.LongValue => p.LongValue,
                PbTemplate.Types.Parameter.ValueOneofCase.FloatValue => p.FloatValue,
                PbTemplate.Types.Parameter.ValueOneofCase.DoubleValue => p.DoubleValue,
                PbTemplate.Types.Parameter.ValueOneofCase.BooleanValue => p.BooleanValue,
                PbTemplate.Types.Parameter.ValueOneofCase.StringValue => p.StringValue,
                _ => throw new SparkplugProtocolException($"{what}: template parameter is an extension_value (6.4.15)."),
            };
            var value = raw is null || type == SparkplugDataType.Unknown ? raw : SparkplugValues.FromRaw(type, raw, what + " parameter");
            parameters.Add(new SparkplugTemplateParameter(p.HasName ? p.Name : null, type, value));
        }

        return new SparkplugTemplate(
            t.HasVersion ? t.Version : null, t.HasTemplateRef ? t.TemplateRef : null, t.IsDefinition, metrics, parameters);
    }

    // 6.4.8: keys and values are parallel arrays of the same length; a duplicated key would be ambiguous.
    private static Dictionary<string, object?> DecodeProperties(PbPropertySet set, string what)
    {
        if (set.Keys.Count != set.Values.Count)
        {
            throw new SparkplugProtocolException(
                $"{what}: PropertySet has {set.Keys.Count} keys and {set.Values.Count} values (6.4.8).");
        }

        var result = new Dictionary<string, object?>(set.Keys.Count, StringComparer.Ordinal);
        for (var i = 0; i < set.Keys.Count; i++)
        {
            if (!result.TryAdd(set.Keys[i], DecodePropertyValue(set.Values[i], what)))
            {
                throw new SparkplugProtocolException($"{what}: PropertySet repeats the key '{set.Keys[i]}' (6.4.8).");
            }
        }

        return result;
    }

    // 6.4.9: basic types, or nested property sets and lists of them.
    private static object? DecodePropertyValue(PbPropertyValue v, string what)
    {
        var type = v.HasType ? SparkplugValues.CheckType(v.Type, what) : SparkplugDataType.Unknown;
        if (type != SparkplugDataType.Unknown && !SparkplugValues.IsBasic(type)
            && type is not (SparkplugDataType.PropertySet or SparkplugDataType.PropertySetList))
        {
            throw new SparkplugProtocolException($"{what}: property value type {type} is not allowed (6.4.9).");
        }

        if (v.IsNull)
        {
            return null;
        }

        object? raw = v.ValueCase switch
        {
            PbPropertyValue.ValueOneofCase.None => null,
            PbPropertyValue.ValueOneofCase.IntValue => v.IntValue,
            PbPropertyValue.ValueOneofCase.LongValue => v.LongValue,
            PbPropertyValue.ValueOneofCase.FloatValue => v.FloatValue,
            PbPropertyValue.ValueOneofCase.DoubleValue => v.DoubleValue,
            PbPropertyValue.ValueOneofCase.BooleanValue => v.BooleanValue,
            PbPropertyValue.ValueOneofCase.StringValue => v.StringValue,
            PbPropertyValue.ValueOneofCase.PropertysetValue when type is SparkplugDataType.PropertySet or SparkplugDataType.Unknown =>
                DecodeProperties(v.PropertysetValue, what),
            PbPropertyValue.ValueOneofCase.PropertysetsValue when type is SparkplugDataType.PropertySetList or SparkplugDataType.Unknown =>
                v.PropertysetsValue.Propertyset.Select(s => (IReadOnlyDictionary<string, object?>)DecodeProperties(s, what)).ToList(),
            _ => throw new SparkplugProtocolException($"{what}: property value of type {type} carries the wrong field (6.4.9)."),
        };
        return raw is null || type is SparkplugDataType.Unknown or SparkplugDataType.PropertySet or SparkplugDataType.PropertySetList
            ? raw
            : SparkplugValues.FromRaw(type, raw, what + " property");
    }
}
