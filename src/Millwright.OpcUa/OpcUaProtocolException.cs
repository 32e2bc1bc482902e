namespace Millwright.OpcUa;

/// <summary>
/// The one exception for anything wrong on the wire: undecodable bytes, a limit passed, an ERR message, an aborted
/// chunk, a ServiceFault. <see cref="Status"/> is the OPC UA status code when one applies (Bad_DecodingError etc.).
/// </summary>
internal sealed class OpcUaProtocolException : Exception
{
    public OpcUaProtocolException()
    {
    }

    public OpcUaProtocolException(string message)
        : base(message)
    {
    }

    public OpcUaProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OpcUaProtocolException(StatusCode status, string message)
        : base($"{message} ({status})") => Status = status;

    public OpcUaProtocolException(StatusCode status, string message, Exception inner)
        : base($"{message} ({status})", inner) => Status = status;

    public StatusCode Status { get; } = StatusCode.BadDecodingError;
}
