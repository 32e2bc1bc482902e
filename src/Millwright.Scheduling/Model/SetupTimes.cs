namespace Millwright.Scheduling.Model;

/// <summary>
/// Setup time a machine needs before an operation of family <c>to</c>, after one of family <c>from</c> (or
/// <see cref="None"/> when it is the machine's first operation). Sequence-independent (fixed) setups are the case where
/// the time does not depend on <c>from</c>: <see cref="Fixed"/>. The setup occupies the machine right before the
/// operation and may run while the job is still on its previous machine (anticipatory setup).
/// </summary>
public sealed class SetupTimes
{
    public const int None = -1;
    private readonly int[] _times;

    public SetupTimes(int machines, int families, Func<int, int, int, int> time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (machines < 1 || families < 1 || (long)machines * (families + 1) * families > 50_000_000)
        {
            throw new SchedulingInputException($"setup matrix of {machines} machines × {families} families is empty or too large");
        }

        Machines = machines;
        Families = families;
        _times = new int[machines * (families + 1) * families];
        for (var m = 0; m < machines; m++)
        {
            for (var from = None; from < families; from++)
            {
                for (var to = 0; to < families; to++)
                {
                    var value = time(m, from, to);
                    if (value is < 0 or > ShopInstance.MaxTime)
                    {
                        throw new SchedulingInputException(
                            $"setup time on machine {m} from family {(from == None ? "none" : from)} to family {to} is {value}; it must be 0..{ShopInstance.MaxTime}");
                    }

                    _times[Index(m, from, to)] = value;
                }
            }
        }
    }

    public int Machines { get; }

    public int Families { get; }

    /// <summary>Setups that depend only on the family being set up: <paramref name="perFamily"/>[family] on every machine.</summary>
    public static SetupTimes Fixed(int machines, IReadOnlyList<int> perFamily)
    {
        ArgumentNullException.ThrowIfNull(perFamily);
        return new SetupTimes(machines, perFamily.Count, (_, _, to) => perFamily[to]);
    }

    public int Get(int machine, int from, int to) => _times[Index(machine, from, to)];

    private int Index(int machine, int from, int to) => ((machine * (Families + 1)) + from + 1) * Families + to;
}
