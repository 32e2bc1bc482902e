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

    // Either a full matrix (_times), or the compact form of SkipWhenSame (_into, _reusable, _loaded).
    private readonly int[]? _times;
    private readonly int[]? _into;
    private readonly bool[]? _reusable;
    private readonly int[]? _loaded;
    private readonly Dictionary<long, int>? _observed;
    private readonly Dictionary<long, int>? _longestObserved;
    private readonly GroupSetups? _groups;

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

    private SetupTimes(int machines, int[] into, bool[] reusable, int[] loaded, Dictionary<long, int>? observed = null, GroupSetups? groups = null)
    {
        Machines = machines;
        Families = into.Length;
        _into = into;
        _reusable = reusable;
        _loaded = loaded;
        _groups = groups;
        if (observed is { Count: > 0 })
        {
            _observed = observed;
            _longestObserved = [];
            foreach (var (key, time) in observed)
            {
                var longest = (key / Families / (Families + 1) * Families) + (key % Families);
                _longestObserved[longest] = Math.Max(_longestObserved.GetValueOrDefault(longest), time);
            }
        }
    }

    /// <summary>
    /// The compact form with some (machine, from, to) times given outright, such as changeovers observed on the
    /// machines; every other pair keeps the compact rule. Only for <see cref="SkipWhenSame"/> setups.
    /// </summary>
    public SetupTimes WithObserved(IEnumerable<(int Machine, int From, int To, int Time)> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (_times is not null)
        {
            throw new SchedulingInputException("observed setup times apply to the compact form only; a full matrix already gives every pair");
        }

        var given = new Dictionary<long, int>(_observed ?? []);
        foreach (var (machine, from, to, time) in observed)
        {
            if (machine < 0 || machine >= Machines || from < 0 || from >= Families || to < 0 || to >= Families || time is < 0 or > ShopInstance.MaxTime)
            {
                throw new SchedulingInputException($"observed setup on machine {machine} from family {from} to family {to} ({time}) is out of range");
            }

            given[ObservedKey(machine, from, to)] = time;
        }

        return new SetupTimes(Machines, _into!, _reusable!, _loaded!, given, _groups);
    }

    /// <summary>
    /// The compact form with setup groups (production's setup families): family f belongs to group
    /// <paramref name="groupOf"/>[f] (<see cref="None"/>: to none), and between two families of groups the time is the
    /// machine's <paramref name="learned"/> (machine, from group, to group) time, else the <paramref name="matrix"/>'s.
    /// A pair given outright (<see cref="WithObserved"/>) and a reusable family after itself come first; pairs no group
    /// time covers keep the compact rule. Only for <see cref="SkipWhenSame"/> setups.
    /// </summary>
    public SetupTimes WithGroups(IReadOnlyList<int> groupOf, int groups, IReadOnlyDictionary<(int From, int To), int> matrix,
        IEnumerable<(int Machine, int From, int To, int Time)> learned)
    {
        if (_times is not null)
        {
            throw new SchedulingInputException("setup groups apply to the compact form only; a full matrix already gives every pair");
        }

        return new SetupTimes(Machines, _into!, _reusable!, _loaded!, _observed, new GroupSetups(Machines, Families, groupOf, groups, matrix, learned));
    }

    public int Machines { get; }

    public int Families { get; }

    /// <summary>Setups that depend only on the family being set up: <paramref name="perFamily"/>[family] on every machine.</summary>
    public static SetupTimes Fixed(int machines, IReadOnlyList<int> perFamily)
    {
        ArgumentNullException.ThrowIfNull(perFamily);
        return new SetupTimes(machines, perFamily.Count, (_, _, to) => perFamily[to]);
    }

    /// <summary>
    /// Setups in the compact form production needs with many families: <paramref name="perFamily"/>[to] on every
    /// machine, except none when a <paramref name="reusable"/> family follows itself. A machine's first operation
    /// follows the family in <paramref name="loaded"/>[machine] (<see cref="None"/>: nothing loaded).
    /// </summary>
    public static SetupTimes SkipWhenSame(int machines, IReadOnlyList<int> perFamily, IReadOnlyList<bool> reusable, IReadOnlyList<int> loaded)
    {
        ArgumentNullException.ThrowIfNull(perFamily);
        ArgumentNullException.ThrowIfNull(reusable);
        ArgumentNullException.ThrowIfNull(loaded);
        if (machines < 1 || perFamily.Count < 1 || reusable.Count != perFamily.Count || loaded.Count != machines)
        {
            throw new SchedulingInputException($"setups of {machines} machines × {perFamily.Count} families need a reuse flag per family and a loaded family per machine");
        }

        for (var f = 0; f < perFamily.Count; f++)
        {
            if (perFamily[f] is < 0 or > ShopInstance.MaxTime)
            {
                throw new SchedulingInputException($"setup time of family {f} is {perFamily[f]}; it must be 0..{ShopInstance.MaxTime}");
            }
        }

        if (loaded.Any(f => f < None || f >= perFamily.Count))
        {
            throw new SchedulingInputException($"a machine's loaded family must be {None} or one of the {perFamily.Count} families");
        }

        return new SetupTimes(machines, [.. perFamily], [.. reusable], [.. loaded]);
    }

    public int Get(int machine, int from, int to)
    {
        if (_times is not null)
        {
            return _times[Index(machine, from, to)];
        }

        from = from == None ? _loaded![machine] : from;
        if (_observed is not null && from != None && _observed.TryGetValue(ObservedKey(machine, from, to), out var observed))
        {
            return observed;
        }

        if (from == to && _reusable![to])
        {
            return 0;
        }

        return from != None && _groups?.Get(machine, from, to) is { } grouped and >= 0 ? grouped : _into![to];
    }

    /// <summary>The longest setup any operation of family <paramref name="to"/> can need on the machine.</summary>
    public int MaxInto(int machine, int to)
    {
        if (_times is null)
        {
            return Math.Max(Math.Max(_into![to], _longestObserved?.GetValueOrDefault(((long)machine * Families) + to) ?? 0), _groups?.MaxInto(machine, to) ?? 0);
        }

        var longest = 0;
        for (var from = None; from < Families; from++)
        {
            longest = Math.Max(longest, Get(machine, from, to));
        }

        return longest;
    }

    private int Index(int machine, int from, int to) => ((machine * (Families + 1)) + from + 1) * Families + to;

    private long ObservedKey(int machine, int from, int to) => ((((long)machine * (Families + 1)) + from + 1) * Families) + to;
}
