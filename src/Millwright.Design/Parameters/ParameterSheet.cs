namespace Millwright.Design.Parameters;

/// <summary>
/// Every parameter and constraint of a design, evaluated: it keeps which formulas read which parameters, and when one
/// changes it recomputes only that one and what depends on it, in dependency order (Kahn's algorithm over the affected
/// part, so a long chain needs no deep recursion). What is left over when that order runs out is on or behind a cycle.
/// <see cref="Trial"/> says whether an edit would break something (its own formula, or one that worked before), so the
/// server can refuse it with the path, before it reaches the log. Not thread-safe: the room's lock guards it.
/// </summary>
internal sealed class ParameterSheet
{
    private readonly Dictionary<ParameterRef, string> _texts = [];
    private readonly Dictionary<ParameterRef, Formula> _formulas = [];
    private readonly Dictionary<ParameterRef, string> _syntax = [];
    private readonly Dictionary<ParameterRef, HashSet<ParameterRef>> _dependents = [];
    private readonly Dictionary<ParameterRef, ParameterResult> _results = [];

    public IEnumerable<ParameterResult> Results => _results.Values;

    public int Count => _results.Count;

    public ParameterResult? this[ParameterRef reference] => _results.GetValueOrDefault(reference);

    /// <summary>True for the fields the sheet evaluates: <c>param.NAME</c>, <c>constraint.NAME</c> and a requirement's <c>verify.NAME</c>.</summary>
    public static bool Evaluates(string? field) =>
        field is not null && (DesignFields.IsParameter(field) || DesignFields.IsComparison(field));

    /// <summary>A sheet of every parameter and constraint field of <paramref name="tree"/>.</summary>
    public static ParameterSheet Of(DesignTree tree)
    {
        var sheet = new ParameterSheet();
        foreach (var ((node, field), value) in tree.Fields)
        {
            if (Evaluates(field) && value is not null)
            {
                sheet.Define(new ParameterRef(node, field), value);
            }
        }

        sheet.Recompute(sheet._texts.Keys.ToHashSet());
        return sheet;
    }

    /// <summary>Writes (null: removes) <paramref name="reference"/>'s text; returns every result that changed (a removed one has no text).</summary>
    public List<ParameterResult> Set(ParameterRef reference, string? text) =>
        _texts.GetValueOrDefault(reference) == text ? [] : Change(reference, text).Where(c => !c.New.SameAs(c.Old)).Select(c => c.New).ToList();

    /// <summary>
    /// Why writing <paramref name="text"/> to <paramref name="reference"/> would break the sheet (its own formula does not
    /// evaluate, or a parameter or constraint that evaluated before would not), or null when it would not. The sheet is left as it was.
    /// </summary>
    public string? Trial(ParameterRef reference, string? text)
    {
        var before = _texts.GetValueOrDefault(reference);
        if (before == text)
        {
            return null;
        }

        var changes = Change(reference, text);
        try
        {
            if (text is not null && _results[reference].Error is { } own)
            {
                return own;
            }

            var broken = changes.FirstOrDefault(c => c.New.Ref != reference && c.New.Error is not null && c.Old is { Error: null, Text: not null });
            return broken.New is null ? null : $"{broken.New.Ref} would break: {broken.New.Error}";
        }
        finally
        {
            Change(reference, before);
        }
    }

    private List<(ParameterResult? Old, ParameterResult New)> Change(ParameterRef reference, string? text)
    {
        if (_formulas.Remove(reference, out var old))
        {
            foreach (var read in old.References)
            {
                if (_dependents.TryGetValue(read, out var set) && set.Remove(reference) && set.Count == 0)
                {
                    _dependents.Remove(read);
                }
            }
        }

        _syntax.Remove(reference);
        _texts.Remove(reference);
        if (text is not null)
        {
            Define(reference, text);
        }

        var affected = new HashSet<ParameterRef> { reference };
        var queue = new Queue<ParameterRef>(affected);
        while (queue.TryDequeue(out var next))
        {
            foreach (var dependent in _dependents.GetValueOrDefault(next) ?? [])
            {
                if (affected.Add(dependent))
                {
                    queue.Enqueue(dependent);
                }
            }
        }

        var before = affected.ToDictionary(a => a, a => _results.GetValueOrDefault(a));
        Recompute(affected);
        return affected.Select(a => (before[a], _results.GetValueOrDefault(a) ?? new ParameterResult(a, null, null, null, null))).ToList();
    }

    private void Define(ParameterRef reference, string text)
    {
        _texts[reference] = text;
        try
        {
            var formula = DesignFields.IsComparison(reference.Field)
                ? FormulaParser.Constraint(text, reference.Node)
                : FormulaParser.Parameter(text, reference.Node);
            _formulas[reference] = formula;
            foreach (var read in formula.References)
            {
                if (!_dependents.TryGetValue(read, out var set))
                {
                    set = [];
                    _dependents[read] = set;
                }

                set.Add(reference);
            }
        }
        catch (FormulaException e)
        {
            _syntax[reference] = e.Message;
        }
    }

    /// <summary>Evaluates <paramref name="affected"/> in dependency order; what a cycle keeps from being ordered gets the cycle as its error.</summary>
    private void Recompute(HashSet<ParameterRef> affected)
    {
        var waiting = new Dictionary<ParameterRef, int>();
        var ready = new Queue<ParameterRef>();
        foreach (var item in affected)
        {
            var count = _formulas.TryGetValue(item, out var f) ? f.References.Count(affected.Contains) : 0;
            waiting[item] = count;
            if (count == 0)
            {
                ready.Enqueue(item);
            }
        }

        while (ready.TryDequeue(out var item))
        {
            waiting.Remove(item);
            Evaluate(item);
            foreach (var dependent in _dependents.GetValueOrDefault(item) ?? [])
            {
                if (waiting.TryGetValue(dependent, out var count))
                {
                    waiting[dependent] = count - 1;
                    if (count == 1)
                    {
                        ready.Enqueue(dependent);
                    }
                }
            }
        }

        foreach (var item in waiting.Keys)
        {
            _results[item] = new ParameterResult(item, _texts[item], null, Cycle(item, waiting), null);
        }
    }

    private void Evaluate(ParameterRef item)
    {
        if (!_texts.TryGetValue(item, out var text))
        {
            _results.Remove(item);
            return;
        }

        var isConstraint = DesignFields.IsComparison(item.Field);
        if (_syntax.TryGetValue(item, out var syntax))
        {
            _results[item] = new ParameterResult(item, text, null, syntax, null);
            return;
        }

        var formula = _formulas[item];
        foreach (var read in formula.References)
        {
            var problem = !_texts.ContainsKey(read) ? $"there is no parameter {read}"
                : _results.TryGetValue(read, out var r) && r.Error is null && r.Value is not null ? null
                : $"{read} has no value ({_results.GetValueOrDefault(read)?.Error ?? "not computed"})";
            if (problem is not null)
            {
                _results[item] = new ParameterResult(item, text, null, problem, null);
                return;
            }
        }

        try
        {
            var value = formula.Evaluate(read => _results[read].Value!.Value);
            _results[item] = new ParameterResult(item, text, value, null, isConstraint ? value.Value == 1 : null);
        }
        catch (FormulaException e)
        {
            _results[item] = new ParameterResult(item, text, null, e.Message, null);
        }
    }

    /// <summary>The cycle <paramref name="item"/> is on or depends on, by following references among the unordered ones.</summary>
    private string Cycle(ParameterRef item, Dictionary<ParameterRef, int> unordered)
    {
        var path = new List<ParameterRef> { item };
        var at = new Dictionary<ParameterRef, int> { [item] = 0 };
        var current = item;
        while (true)
        {
            var next = _formulas[current].References.First(unordered.ContainsKey);
            if (at.TryGetValue(next, out var start))
            {
                var cycle = string.Join(" → ", path.Skip(start).Append(next));
                return start == 0 ? $"cycle: {cycle}" : $"depends on the cycle {cycle}";
            }

            at[next] = path.Count;
            path.Add(next);
            current = next;
        }
    }
}
