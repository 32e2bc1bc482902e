namespace Millwright.Scheduling.Model;

/// <summary>
/// Setup times between groups of setup families (<see cref="SetupTimes.WithGroups"/>): a matrix for every machine and,
/// over it, times learned per machine. Memory grows with groups² plus the learned pairs, not with families².
/// </summary>
internal sealed class GroupSetups
{
    private const int Unset = -1;

    private readonly int[] _groupOf;
    private readonly int _groups;
    private readonly int[] _matrix;
    private readonly Dictionary<long, int> _learned = [];
    private readonly int[] _longestInto;
    private readonly Dictionary<long, int> _longestLearnedInto = [];

    public GroupSetups(int machines, int families, IReadOnlyList<int> groupOf, int groups,
        IReadOnlyDictionary<(int From, int To), int> matrix, IEnumerable<(int Machine, int From, int To, int Time)> learned)
    {
        ArgumentNullException.ThrowIfNull(groupOf);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(learned);
        if (groupOf.Count != families || groups < 0 || (long)groups * groups > 10_000_000 || groupOf.Any(g => g < SetupTimes.None || g >= groups))
        {
            throw new SchedulingInputException($"setup groups need a group (or none) per family of {families}, each one of {groups}");
        }

        _groupOf = [.. groupOf];
        _groups = groups;
        _matrix = new int[groups * groups];
        Array.Fill(_matrix, Unset);
        _longestInto = new int[groups];
        foreach (var ((from, to), time) in matrix)
        {
            Check(0, from, to, time, machines);
            _matrix[(from * groups) + to] = time;
            _longestInto[to] = Math.Max(_longestInto[to], time);
        }

        foreach (var (machine, from, to, time) in learned)
        {
            Check(machine, from, to, time, machines);
            _learned[Key(machine, from, to)] = time;
            var longest = ((long)machine * groups) + to;
            _longestLearnedInto[longest] = Math.Max(_longestLearnedInto.GetValueOrDefault(longest), time);
        }
    }

    /// <summary>The time between the groups of two families on the machine; <see cref="Unset"/> when no group time covers them.</summary>
    public int Get(int machine, int fromFamily, int toFamily)
    {
        var from = _groupOf[fromFamily];
        var to = _groupOf[toFamily];
        if (from == SetupTimes.None || to == SetupTimes.None)
        {
            return Unset;
        }

        return _learned.Count > 0 && _learned.TryGetValue(Key(machine, from, to), out var learned) ? learned : _matrix[(from * _groups) + to];
    }

    /// <summary>The longest group time into the family's group on the machine (0 without a group).</summary>
    public int MaxInto(int machine, int toFamily)
    {
        var to = _groupOf[toFamily];
        return to == SetupTimes.None ? 0 : Math.Max(_longestInto[to], _longestLearnedInto.GetValueOrDefault(((long)machine * _groups) + to));
    }

    private long Key(int machine, int from, int to) => ((((long)machine * _groups) + from) * _groups) + to;

    private void Check(int machine, int from, int to, int time, int machines)
    {
        if (machine < 0 || machine >= machines || from < 0 || from >= _groups || to < 0 || to >= _groups || time is < 0 or > ShopInstance.MaxTime)
        {
            throw new SchedulingInputException($"group setup on machine {machine} from group {from} to group {to} ({time}) is out of range");
        }
    }
}
