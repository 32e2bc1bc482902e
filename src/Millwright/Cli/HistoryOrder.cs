namespace Millwright.Cli;

/// <summary>An order of the demo's history while <see cref="DemoHistoryOrders"/> fills it: which step it waits at and what that step has made.</summary>
internal sealed class HistoryOrder(string number, string customer, DemoProduct product, long quantity, DateTimeOffset created, DateTimeOffset due)
{
    private readonly List<DateTimeOffset> _stepEnds = [];

    public string Number => number;

    public string Customer => customer;

    public DemoProduct Product => product;

    public long Quantity => quantity;

    public DateTimeOffset Created => created;

    public DateTimeOffset Due => due;

    /// <summary>The step of the routing it waits at (the last one once completed).</summary>
    public DemoStep Step => product.Steps[Math.Min(_stepEnds.Count, product.Steps.Count - 1)];

    /// <summary>Units of the current step made so far.</summary>
    public long Made { get; set; }

    /// <summary>The first minute (from the history's start) whose output this order may take.</summary>
    public int ReadyFrom { get; set; }

    /// <summary>When each finished step ended, in routing order.</summary>
    public IReadOnlyList<DateTimeOffset> StepEnds => _stepEnds;

    public DateTimeOffset? Completed => _stepEnds.Count == product.Steps.Count ? _stepEnds[^1] : null;

    /// <summary>The current step has made the whole quantity at <paramref name="at"/>; the next may start from minute <paramref name="nextMinute"/>.</summary>
    public void StepEnded(DateTimeOffset at, int nextMinute)
    {
        _stepEnds.Add(at);
        Made = 0;
        ReadyFrom = nextMinute;
    }
}
