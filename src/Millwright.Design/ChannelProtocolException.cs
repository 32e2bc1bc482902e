namespace Millwright.Design;

/// <summary>A client message the channel cannot take; the message says what was wrong and goes back to the client.</summary>
internal sealed class ChannelProtocolException(string message) : Exception(message);
