namespace Millwright.Sparkplug;

/// <summary>The one exception for anything a Sparkplug peer sent that breaks the specification.</summary>
public sealed class SparkplugProtocolException : Exception
{
    public SparkplugProtocolException()
    {
    }

    public SparkplugProtocolException(string message)
        : base(message)
    {
    }

    public SparkplugProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
