namespace Millwright.Features.Fleet;

/// <summary>How the fleet follows its dispatches (docs/fleet.md, "Dispatch").</summary>
internal sealed record FleetOptions
{
    /// <summary>
    /// A dispatch the machine has not answered within this is failed ("timed out"). A telematics unit answers on
    /// receipt, but it may be out of coverage for a while (a tunnel, a valley) while its QoS 1 session holds the command.
    /// </summary>
    public TimeSpan DispatchAckTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often unanswered dispatches are looked for; a timeout is noticed at most this late.</summary>
    public TimeSpan DispatchCheckEvery { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (DispatchAckTimeout <= TimeSpan.Zero || DispatchAckTimeout > TimeSpan.FromDays(7) || DispatchCheckEvery <= TimeSpan.Zero || DispatchCheckEvery > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("fleet options: the dispatch timeout must be positive and at most 7 days, the check period positive and at most an hour");
        }
    }
}
