namespace Millwright.OpcUa;

/// <summary>A value with its status and timestamps (OPC 10000-4 7.11).</summary>
internal sealed record DataValue(Variant Value, StatusCode Status, DateTime? SourceTimestamp = null, DateTime? ServerTimestamp = null,
    ushort SourcePicoseconds = 0, ushort ServerPicoseconds = 0)
{
    public static DataValue Of(Variant value) => new(value, StatusCode.Good);
}
