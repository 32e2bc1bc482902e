namespace Millwright.Embroidery.Exp;

/// <summary>The one exception the EXP reader throws: the bytes are not an EXP file, and where it went wrong.</summary>
public sealed class ExpFormatException : Exception
{
    public ExpFormatException(string message, long offset)
        : base($"not a valid EXP file at byte {offset}: {message}")
    {
        Offset = offset;
        Reason = message;
    }

    public ExpFormatException()
        : this("invalid", 0)
    {
    }

    public ExpFormatException(string message)
        : this(message, 0)
    {
    }

    public ExpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Byte offset in the file of the record that is wrong.</summary>
    public long Offset { get; }

    public string Reason { get; } = "";
}
