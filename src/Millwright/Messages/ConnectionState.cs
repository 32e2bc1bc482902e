namespace Millwright.Messages;

/// <summary>A machine's link as its transport reports it: online or not, since when, by which protocol, and why.</summary>
internal sealed record ConnectionState(bool Online, DateTimeOffset Since, string Source, string? Detail = null);
