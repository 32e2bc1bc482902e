namespace Millwright.Features.Live;

/// <summary>A client message that is not what the live protocol accepts; the message says what and where.</summary>
internal sealed class LiveRequestException(string message) : Exception(message);
