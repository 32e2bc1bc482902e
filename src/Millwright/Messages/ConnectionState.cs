namespace Millwright.Messages;

/// <summary>
/// A machine's link as its transport reports it: online or not, since when, by which protocol, why, and (for a
/// polled link that is down) when the next attempt is due under the shared reconnect back-off and which attempt it is
/// (1 is the first try after the link was lost), so a page can count down to it.
/// </summary>
internal sealed record ConnectionState(bool Online, DateTimeOffset Since, string Source, string? Detail = null, DateTimeOffset? NextRetry = null, int? Attempt = null);
