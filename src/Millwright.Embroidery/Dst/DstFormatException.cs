namespace Millwright.Embroidery.Dst;

/// <summary>The one exception the DST reader throws: the bytes are not a DST file, and where it went wrong.</summary>
public sealed class DstFormatException : Exception
{
    public DstFormatException(string message, long offset)
        : base($"not a valid DST file at byte {offset}: {message}")
    {
        Offset = offset;
        Reason = message;
    }

    public DstFormatException()
        : this("invalid", 0)
    {
    }

    public DstFormatException(string message)
        : this(message, 0)
    {
    }

    public DstFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Byte offset in the file of the field or record that is wrong (the file length when bytes are missing).</summary>
    public long Offset { get; }

    public string Reason { get; } = "";
}
