using System.Diagnostics.CodeAnalysis;

namespace Millwright.Sparkplug;

/// <summary>
/// Sparkplug datatypes (specification 6.4.16). The CLR type a decoded value has is given per member;
/// the decoder never hands out anything else for that datatype.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the specification's datatype names.")]
public enum SparkplugDataType
{
    /// <summary>Absent from the payload (allowed in DATA and CMD messages, 6.4.6).</summary>
    Unknown = 0,
    /// <summary><see cref="sbyte"/></summary>
    Int8 = 1,
    /// <summary><see cref="short"/></summary>
    Int16 = 2,
    /// <summary><see cref="int"/></summary>
    Int32 = 3,
    /// <summary><see cref="long"/></summary>
    Int64 = 4,
    /// <summary><see cref="byte"/></summary>
    UInt8 = 5,
    /// <summary><see cref="ushort"/></summary>
    UInt16 = 6,
    /// <summary><see cref="uint"/></summary>
    UInt32 = 7,
    /// <summary><see cref="ulong"/></summary>
    UInt64 = 8,
    /// <summary><see cref="float"/></summary>
    Float = 9,
    /// <summary><see cref="double"/></summary>
    Double = 10,
    /// <summary><see cref="bool"/></summary>
    Boolean = 11,
    /// <summary><see cref="string"/></summary>
    String = 12,
    /// <summary><see cref="DateTimeOffset"/> in UTC, millisecond precision.</summary>
    DateTime = 13,
    /// <summary><see cref="string"/></summary>
    Text = 14,
    /// <summary><see cref="string"/></summary>
    Uuid = 15,
    /// <summary><see cref="SparkplugDataSet"/></summary>
    DataSet = 16,
    /// <summary><c>byte[]</c></summary>
    Bytes = 17,
    /// <summary><c>byte[]</c></summary>
    File = 18,
    /// <summary><see cref="SparkplugTemplate"/></summary>
    Template = 19,
    /// <summary>Property values only.</summary>
    PropertySet = 20,
    /// <summary>Property values only.</summary>
    PropertySetList = 21,
    Int8Array = 22,
    Int16Array = 23,
    Int32Array = 24,
    Int64Array = 25,
    UInt8Array = 26,
    UInt16Array = 27,
    UInt32Array = 28,
    UInt64Array = 29,
    FloatArray = 30,
    DoubleArray = 31,
    BooleanArray = 32,
    StringArray = 33,
    DateTimeArray = 34,
}
