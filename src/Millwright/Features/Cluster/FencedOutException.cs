namespace Millwright.Features.Cluster;

/// <summary>A write refused because the writer no longer holds the machine's lease with the token it had.</summary>
internal sealed class FencedOutException(string message) : Millwright.Storage.WriteFencedException(message);
