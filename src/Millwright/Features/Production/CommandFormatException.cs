namespace Millwright.Features.Production;

/// <summary>A command answer that is not what docs/production.md describes; the message says what is wrong.</summary>
internal sealed class CommandFormatException(string message) : Exception(message);
