namespace Millwright.Messages;

/// <summary>One value of one tag at one time (Unix milliseconds, UTC).</summary>
internal readonly record struct Reading(string Tag, long Timestamp, TagValue Value);
