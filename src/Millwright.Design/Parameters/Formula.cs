namespace Millwright.Design.Parameters;

/// <summary>
/// A parsed parameter value: a quantity (<c>120 mm</c>) or a formula (<c>= length * 2 [mm]</c>) over other
/// parameters, or a constraint (a comparison, true or false). <see cref="References"/> are what it reads, resolved
/// against the node it belongs to; <see cref="Evaluate"/> checks dimensions as it computes.
/// </summary>
internal sealed class Formula(string text, IReadOnlyList<ParameterRef> references, Func<Func<ParameterRef, Quantity>, Quantity> evaluate, Unit? declared, bool isCheck)
{
    public string Text => text;

    public IReadOnlyList<ParameterRef> References => references;

    /// <summary>The unit the result must have and is shown in (<c>[mm2]</c> after a formula), or null.</summary>
    public Unit? Declared => declared;

    /// <summary>A constraint: a comparison whose result is 1 (holds) or 0 (violated).</summary>
    public bool IsCheck => isCheck;

    /// <summary>Computes the value, reading each reference through <paramref name="read"/>; throws <see cref="FormulaException"/> on a dimension mismatch.</summary>
    public Quantity Evaluate(Func<ParameterRef, Quantity> read)
    {
        var value = evaluate(read);
        if (!double.IsFinite(value.Value))
        {
            throw new FormulaException("the result is not a finite number (a division by zero?)");
        }

        if (declared is not null && !isCheck)
        {
            if (value.Dimension != declared.Dimension)
            {
                throw new FormulaException($"the formula gives {value.Dimension}, which is not {declared.Symbol} ({declared.Dimension})");
            }

            return value with { Shown = declared };
        }

        return value;
    }
}
