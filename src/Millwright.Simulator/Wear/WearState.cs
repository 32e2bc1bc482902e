namespace Millwright.Simulator.Wear;

/// <summary>
/// The wear of one machine's wearing part: it grows only while the machine runs, raises the hazard of a
/// breakdown, and is reset by a repair after such a breakdown or by maintenance. Draws come from a Random of its
/// own (and readings' noise from another), so adding wear leaves a machine's other draws as they were, and how
/// often readings are sampled does not change when a part fails. Only the simulator knows this state: the
/// platform sees the indicator tags a kind derives from <see cref="Level"/>.
/// </summary>
internal sealed class WearState
{
    private readonly Random _life;
    private readonly Random _noise;
    private double _pace;

    public WearState(WearProfile profile, int seed)
    {
        Profile = profile;
        _life = new Random(unchecked((seed * 7919) + 104_729));
        _noise = new Random(unchecked((seed * 6151) + 3_571));
        _pace = NewPace();

        // A floor seen at an arbitrary moment: each part some way into its first half of life.
        Level = _life.NextDouble() * 0.5;
    }

    public WearProfile Profile { get; }

    /// <summary>0 for a new part, about 1 at the end of its nominal life; not bounded above.</summary>
    public double Level { get; private set; }

    /// <summary>Breakdowns that wear caused (the others are the kind's random stoppages).</summary>
    public int Failures { get; private set; }

    /// <summary>Times a part was renewed by maintenance before it failed.</summary>
    public int Maintenances { get; private set; }

    /// <summary>Hazard of failing per running hour at the current wear.</summary>
    public double Hazard => Profile.HazardAtEnd * Math.Pow(Level, Profile.Shape);

    /// <summary>Ages the part by a slice of running; true when it fails within that slice.</summary>
    public bool Run(TimeSpan slice)
    {
        var hours = slice.TotalHours;
        Level += _pace * hours / Profile.NominalLife.TotalHours;
        if (_life.NextDouble() < Hazard * hours)
        {
            Failures++;
            return true;
        }

        return false;
    }

    /// <summary>The repair time of a wear failure.</summary>
    public TimeSpan RepairTime() => Profile.Repair.Min + ((Profile.Repair.Max - Profile.Repair.Min) * _life.NextDouble());

    /// <summary>A new part after the repair of a failure.</summary>
    public void Renew()
    {
        Level = 0;
        _pace = NewPace();
    }

    /// <summary>Planned maintenance: the part is replaced before it fails.</summary>
    public void Maintain()
    {
        Maintenances++;
        Renew();
    }

    /// <summary>
    /// A reading of an indicator that grows with wear as <c>w²</c> (invisible early, steep late, as a P-F curve):
    /// <paramref name="healthy"/> + <paramref name="worn"/> · w², with noise of the given spread (sum of uniforms).
    /// </summary>
    public double Indicator(double healthy, double worn, double spread, double min, double max) =>
        Math.Clamp(healthy + (worn * Level * Level) + (spread * (_noise.NextDouble() + _noise.NextDouble() - 1)), min, max);

    /// <summary>A noise factor for readings whose spread (rather than level) grows with wear: 1 + <paramref name="worn"/> · w².</summary>
    public double SpreadFactor(double worn) => 1 + (worn * Level * Level);

    private double NewPace() => Profile.PaceMin + ((Profile.PaceMax - Profile.PaceMin) * _life.NextDouble());
}
