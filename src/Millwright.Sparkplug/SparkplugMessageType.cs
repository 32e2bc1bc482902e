namespace Millwright.Sparkplug;

/// <summary>The message_type topic element (specification 4.1.3).</summary>
public enum SparkplugMessageType
{
    NBirth,
    NDeath,
    DBirth,
    DDeath,
    NData,
    DData,
    NCmd,
    DCmd,
    State,
}
