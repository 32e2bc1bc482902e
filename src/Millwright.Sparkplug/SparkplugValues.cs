using System.Globalization;

namespace Millwright.Sparkplug;

/// <summary>
/// Converts between the protobuf value field a payload actually set (the raw value: uint, ulong, float, double,
/// bool, string, byte[], data set, template) and the CLR value of a Sparkplug datatype (6.4.17).
/// </summary>
internal static class SparkplugValues
{
    // DateTimeOffset.MaxValue in Unix milliseconds; larger DateTime values cannot be represented.
    private const ulong MaxUnixMilliseconds = 253_402_300_799_999;

    public static DateTimeOffset ToTimestamp(ulong unixMilliseconds, string what)
    {
        if (unixMilliseconds > MaxUnixMilliseconds)
        {
            throw new SparkplugProtocolException($"{what} {unixMilliseconds} is beyond year 9999.");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)unixMilliseconds);
    }

    public static ulong FromTimestamp(DateTimeOffset timestamp)
    {
        var ms = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(ms, nameof(timestamp));
        return (ulong)ms;
    }

    /// <summary>Checks that <paramref name="raw"/> is the field 6.4.17 prescribes for the datatype and converts it.</summary>
    public static object FromRaw(SparkplugDataType type, object raw, string what) => (type, raw) switch
    {
        (SparkplugDataType.Int8, uint v) => (sbyte)SignedFromUInt32(v, sbyte.MinValue, sbyte.MaxValue, type, what),
        (SparkplugDataType.Int16, uint v) => (short)SignedFromUInt32(v, short.MinValue, short.MaxValue, type, what),
        (SparkplugDataType.Int32, uint v) => unchecked((int)v),
        (SparkplugDataType.UInt8, uint v) when v <= byte.MaxValue => (byte)v,
        (SparkplugDataType.UInt16, uint v) when v <= ushort.MaxValue => (ushort)v,
        (SparkplugDataType.UInt32, uint v) => v,
        // Interop: several edge libraries put UInt32 into long_value because their language has no uint32.
        (SparkplugDataType.UInt32, ulong v) when v <= uint.MaxValue => (uint)v,
        (SparkplugDataType.Int64, ulong v) => unchecked((long)v),
        (SparkplugDataType.UInt64, ulong v) => v,
        (SparkplugDataType.DateTime, ulong v) => ToTimestamp(v, what),
        (SparkplugDataType.Float, float v) => v,
        (SparkplugDataType.Double, double v) => v,
        (SparkplugDataType.Boolean, bool v) => v,
        (SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.Uuid, string v) => v,
        (SparkplugDataType.Bytes or SparkplugDataType.File, byte[] v) => v,
        (SparkplugDataType.DataSet, SparkplugDataSet v) => v,
        (SparkplugDataType.Template, SparkplugTemplate v) => v,
        (>= SparkplugDataType.Int8Array and <= SparkplugDataType.DateTimeArray, byte[] v) => SparkplugArrays.Decode(type, v, what),
        _ => throw new SparkplugProtocolException(
            $"{what} has datatype {type} but its value is {Describe(raw)} (6.4.17)."),
    };

    /// <summary>Raw protobuf representation of a CLR value of the given datatype, for the encoder.</summary>
    public static object ToRaw(SparkplugDataType type, object value) => (type, value) switch
    {
        // Signed 8/16/32-bit values travel sign-extended in the uint32 field, like the common edge libraries.
        (SparkplugDataType.Int8, sbyte v) => unchecked((uint)(int)v),
        (SparkplugDataType.Int16, short v) => unchecked((uint)(int)v),
        (SparkplugDataType.Int32, int v) => unchecked((uint)v),
        (SparkplugDataType.UInt8, byte v) => (uint)v,
        (SparkplugDataType.UInt16, ushort v) => (uint)v,
        (SparkplugDataType.UInt32, uint v) => v,
        (SparkplugDataType.Int64, long v) => unchecked((ulong)v),
        (SparkplugDataType.UInt64, ulong v) => v,
        (SparkplugDataType.DateTime, DateTimeOffset v) => FromTimestamp(v),
        (SparkplugDataType.Float, float v) => v,
        (SparkplugDataType.Double, double v) => v,
        (SparkplugDataType.Boolean, bool v) => v,
        (SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.Uuid, string v) => v,
        (SparkplugDataType.Bytes or SparkplugDataType.File, byte[] v) => v,
        (SparkplugDataType.DataSet, SparkplugDataSet v) => v,
        (SparkplugDataType.Template, SparkplugTemplate v) => v,
        (>= SparkplugDataType.Int8Array and <= SparkplugDataType.DateTimeArray, _) => SparkplugArrays.Encode(type, value),
        _ => throw new ArgumentException($"A {value.GetType().Name} is not a value of Sparkplug datatype {type}.", nameof(value)),
    };

    public static bool IsBasic(SparkplugDataType type) => type is >= SparkplugDataType.Int8 and <= SparkplugDataType.Text;

    public static bool IsMetricType(SparkplugDataType type) =>
        type is >= SparkplugDataType.Int8 and <= SparkplugDataType.Template
            or >= SparkplugDataType.Int8Array and <= SparkplugDataType.DateTimeArray;

    public static SparkplugDataType CheckType(uint type, string what) =>
        type <= (uint)SparkplugDataType.DateTimeArray
            ? (SparkplugDataType)type
            : throw new SparkplugProtocolException($"{what} has datatype {type}, which Sparkplug does not define (6.4.16).");

    // 6.4.17 gives signed types a uint32 field without saying how negatives are laid out. Both the sign-extended
    // form (-1 as 0xFFFFFFFF) and the zero-extended form (-1 as 0xFF for Int8) are in use, so both are accepted.
    private static int SignedFromUInt32(uint v, int min, int max, SparkplugDataType type, string what)
    {
        var signExtended = unchecked((int)v);
        if (signExtended >= min && signExtended <= max)
        {
            return signExtended;
        }

        var width = max == sbyte.MaxValue ? 8 : 16;
        if (v < 1u << width)
        {
            return (int)(v << (32 - width)) >> (32 - width);
        }

        throw new SparkplugProtocolException($"{what} has datatype {type} but its value {v} does not fit (6.4.17).");
    }

    private static string Describe(object raw) => raw switch
    {
        uint v => "int_value " + v.ToString(CultureInfo.InvariantCulture),
        ulong v => "long_value " + v.ToString(CultureInfo.InvariantCulture),
        float => "a float_value",
        double => "a double_value",
        bool => "a boolean_value",
        string => "a string_value",
        byte[] => "a bytes_value",
        SparkplugDataSet => "a dataset_value",
        SparkplugTemplate => "a template_value",
        _ => "an extension_value",
    };
}
