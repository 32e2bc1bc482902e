namespace Millwright.Modbus;

/// <summary>
/// Reconnect delays: Initial * 2^(failures-1), capped at Max, then shortened by up to Jitter (a fraction)
/// so that many pollers that lost the same gateway do not reconnect in lockstep.
/// </summary>
public sealed record ModbusBackoff(TimeSpan Initial, TimeSpan Max, double Jitter = 0.2)
{
    public static ModbusBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    public TimeSpan Delay(int failures, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failures);
        var exponent = Math.Min(failures - 1, 30);
        var ticks = Math.Min(Max.Ticks, Initial.Ticks * Math.Pow(2, exponent));
        var jitter = Math.Clamp(Jitter, 0, 1) * random.NextDouble();
        return TimeSpan.FromTicks((long)(ticks * (1 - jitter)));
    }
}
