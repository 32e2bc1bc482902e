namespace Millwright.Features.Connectivity;

/// <summary>
/// A tenant's Sparkplug B host settings. <c>strictBirths</c>: refuse an NBIRTH without 'Node Control/Rebirth'
/// (as the specification's TCK does) instead of accepting it with a warning, the default.
/// </summary>
internal sealed record SparkplugSettingsDto(bool StrictBirths);
