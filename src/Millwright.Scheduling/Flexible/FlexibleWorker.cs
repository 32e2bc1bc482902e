using Millwright.Scheduling.Model;
using Millwright.Scheduling.Solving;

namespace Millwright.Scheduling.Flexible;

/// <summary>
/// Search for everything beyond the classic job shop (machine choice, setups, releases, downtime, weighted tardiness):
/// late-acceptance hill climbing (Burke and Bykov) over an operation order and a machine choice per operation, each
/// candidate decoded in full by <see cref="FlexibleDecoder"/>. Moves: move one entry of the order elsewhere, swap two,
/// or give one operation another of its machines. Simpler than the classic tabu search, but every decoded schedule
/// is feasible, so the result always satisfies every constraint.
/// </summary>
internal sealed class FlexibleWorker : ISearchWorker
{
    private const int HistoryLength = 200;
    private readonly ShopInstance _instance;
    private readonly Objective _objective;
    private readonly Random _random;
    private readonly Incumbent _incumbent;
    private readonly FlexibleDecoder _decoder;
    private readonly int[] _order;
    private readonly int[] _choice;
    private readonly int[] _start;
    private readonly int[] _flexible;
    private readonly int[] _optionCount;
    private readonly Cost[] _history = new Cost[HistoryLength];
    private int[] _bestOrder;
    private int[] _bestChoice;
    private Cost _cost;
    private Cost _bestCost;
    private readonly long _makespanBound;

    private readonly ChangePenalty? _penalty;
    private readonly IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? _reference;

    /// <param name="penalty">Under weighted tardiness, the cost of departing from <paramref name="reference"/>, added to the objective.</param>
    public FlexibleWorker(ShopInstance instance, Objective objective, int seed, Incumbent incumbent, long makespanBound,
        IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? startFrom = null, ChangePenalty? penalty = null,
        IReadOnlyList<IReadOnlyList<ScheduledOperation?>>? reference = null)
    {
        _makespanBound = makespanBound;
        _instance = instance;
        _objective = objective;
        _random = new Random(seed);
        _incumbent = incumbent;
        _decoder = new FlexibleDecoder(instance);
        if (objective == Objective.TotalWeightedTardiness && penalty is { IsActive: true } && reference is not null)
        {
            (_penalty, _reference) = (penalty, reference);
            _decoder.Penalize(penalty, reference);
        }

        var n = _decoder.OperationCount;
        _choice = new int[n];
        _start = new int[n];
        (_order, var chosen) = StartingPoint.Create(instance, objective, _random, startFrom);
        var flexible = new List<int>();
        _optionCount = new int[n];
        for (var j = 0; j < instance.Jobs.Count; j++)
        {
            var ops = instance.Jobs[j].Operations;
            for (var k = 0; k < ops.Count; k++)
            {
                _choice[_decoder.FirstOperation(j) + k] = chosen[j][k];
                _optionCount[_decoder.FirstOperation(j) + k] = ops[k].Options.Count;
                if (ops[k].Options.Count > 1)
                {
                    flexible.Add(_decoder.FirstOperation(j) + k);
                }
            }
        }

        _flexible = [.. flexible];
        _cost = _bestCost = _decoder.Decode(_order, _choice, _start, objective);
        Array.Fill(_history, _cost);
        _bestOrder = (int[])_order.Clone();
        _bestChoice = (int[])_choice.Clone();
        Offer();
    }

    public long Iterations { get; private set; }

    /// <summary>
    /// Weighted tardiness is optimal when neither it nor its tie-break can improve: no tardiness and the makespan at its lower
    /// bound (stopping at zero tardiness alone would leave a schedule that is on time but needlessly long, e.g. work
    /// waiting for a broken machine while another capable one stands idle). Makespan optimality is the driver's lower bound.
    /// </summary>
    public bool Optimal => _objective == Objective.TotalWeightedTardiness && _bestCost.Primary == 0 && _bestCost.Secondary <= _makespanBound;

    public void Run(long iterations, Func<bool> stop)
    {
        var end = Iterations + iterations;
        while (Iterations < end && !Optimal)
        {
            if ((Iterations & 63) == 0 && stop())
            {
                return;
            }

            Step();
            Iterations++;
        }
    }

    public EliteSolution Export()
    {
        var (order, choice) = ((int[])_bestOrder.Clone(), (int[])_bestChoice.Clone());
        return new EliteSolution(_bestCost.Primary, () => Build(order, choice), (order, choice, _bestCost), Optimal);
    }

    public void Import(EliteSolution other)
    {
        var (order, choice, cost) = ((int[], int[], Cost))other.Payload;
        if (cost < _bestCost)
        {
            _bestOrder = (int[])order.Clone();
            _bestChoice = (int[])choice.Clone();
            _bestCost = cost;
            Array.Copy(order, _order, order.Length);
            Array.Copy(choice, _choice, choice.Length);
            _cost = cost;
        }
    }

    private void Step()
    {
        var n = _order.Length;
        int kind = _random.Next(_flexible.Length > 0 ? 3 : 2), a = 0, b = 0, old = 0;
        switch (kind)
        {
            case 0:
                (a, b) = (_random.Next(n), _random.Next(n));
                Shift(a, b);
                break;
            case 1:
                (a, b) = (_random.Next(n), _random.Next(n));
                (_order[a], _order[b]) = (_order[b], _order[a]);
                break;
            default:
                a = _flexible[_random.Next(_flexible.Length)];
                old = _choice[a];
                var count = OptionCount(a);
                _choice[a] = (old + 1 + _random.Next(count - 1)) % count;
                break;
        }

        var cost = _decoder.Decode(_order, _choice, _start, _objective);
        var slot = (int)(Iterations % HistoryLength);
        if (cost <= _cost || cost <= _history[slot])
        {
            _cost = cost;
            if (cost < _bestCost)
            {
                _bestCost = cost;
                Array.Copy(_order, _bestOrder, n);
                Array.Copy(_choice, _bestChoice, n);
                Offer();
            }
        }
        else
        {
            switch (kind)
            {
                case 0:
                    Shift(b, a);
                    break;
                case 1:
                    (_order[a], _order[b]) = (_order[b], _order[a]);
                    break;
                default:
                    _choice[a] = old;
                    break;
            }
        }

        if (_cost < _history[slot])
        {
            _history[slot] = _cost;
        }
    }

    private void Shift(int from, int to)
    {
        var token = _order[from];
        if (from < to)
        {
            Array.Copy(_order, from + 1, _order, from, to - from);
        }
        else
        {
            Array.Copy(_order, to, _order, to + 1, from - to);
        }

        _order[to] = token;
    }

    private int OptionCount(int op) => _optionCount[op];

    private void Offer()
    {
        if (_bestCost.Primary < _incumbent.Objective)
        {
            var (order, choice) = ((int[])_bestOrder.Clone(), (int[])_bestChoice.Clone());
            _incumbent.Offer(_bestCost.Primary, () => Build(order, choice));
        }
    }

    private Schedule Build(int[] order, int[] choice)
    {
        var start = new int[order.Length];
        var decoder = new FlexibleDecoder(_instance);
        if (_penalty is not null)
        {
            decoder.Penalize(_penalty, _reference!);
        }

        _ = decoder.Decode(order, choice, start, _objective);
        return _decoder.ToSchedule(choice, start);
    }
}
