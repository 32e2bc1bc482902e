using System.Globalization;
using Eval = System.Func<System.Func<Millwright.Design.Parameters.ParameterRef, Millwright.Design.Parameters.Quantity>, Millwright.Design.Parameters.Quantity>;

namespace Millwright.Design.Parameters;

/// <summary>
/// Reads a parameter's value (docs/design-workspace.md, "Parameters"): a quantity <c>120 mm</c>, or a formula after
/// <c>=</c> with <c>+ - * / ^</c>, parentheses, <c>sqrt abs min max</c>, numbers with units (<c>5 mm</c>) and
/// references (<c>width</c> on the same node, <c>frame.width</c> or <c>{node-1}.width</c> on another), optionally
/// ending in the result's unit <c>[mm2]</c>. A constraint is a comparison (<c>length &lt;= 2 * width</c>).
/// Dimensions are checked when the formula is evaluated, since they depend on the parameters it reads.
/// </summary>
internal sealed class FormulaParser
{
    public const int MaxLength = 1_000;
    private const int MaxDepth = 64;

    // Two-character operators first, so that "<=" is not read as "<" followed by "=".
    private static readonly string[] Comparisons = ["<=", ">=", "==", "!=", "<", ">"];

    private readonly string _text;
    private readonly string _node;
    private readonly List<ParameterRef> _references = [];
    private int _at;
    private int _depth;

    private FormulaParser(string text, string node)
    {
        _text = text;
        _node = node;
    }

    /// <summary>Parses the value of a <c>param.</c> field of <paramref name="node"/>.</summary>
    public static Formula Parameter(string text, string node) => new FormulaParser(text, node).ParseParameter();

    /// <summary>Parses the value of a <c>constraint.</c> field of <paramref name="node"/> (a leading <c>=</c> is allowed).</summary>
    public static Formula Constraint(string text, string node) => new FormulaParser(text, node).ParseConstraint();

    /// <summary>True when <paramref name="name"/> may name a parameter: a letter or <c>_</c>, then letters, digits, <c>_</c>.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= 40 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private Formula ParseParameter()
    {
        Guard();
        Skip();
        if (Peek() != '=')
        {
            var quantity = Literal();
            End();
            return new Formula(_text, [], _ => quantity, null, isCheck: false);
        }

        _at++;
        var body = Sum();
        var declared = DeclaredUnit();
        End();
        return new Formula(_text, _references.Distinct().ToList(), body, declared, isCheck: false);
    }

    private Formula ParseConstraint()
    {
        Guard();
        Skip();
        if (Peek() == '=')
        {
            _at++;
        }

        var left = Sum();
        Skip();
        var op = Comparison() ?? throw Error("a constraint compares two sides (<, <=, >, >=, ==, !=)");
        var right = Sum();
        End();
        Eval check = read =>
        {
            var (a, b) = (left(read), right(read));
            Same(a, b, op);
            var tolerance = 1e-9 * Math.Max(Math.Abs(a.Value), Math.Abs(b.Value));
            var holds = op switch
            {
                "<" => a.Value < b.Value - tolerance,
                "<=" => a.Value <= b.Value + tolerance,
                ">" => a.Value > b.Value + tolerance,
                ">=" => a.Value >= b.Value - tolerance,
                "==" => Math.Abs(a.Value - b.Value) <= tolerance,
                _ => Math.Abs(a.Value - b.Value) > tolerance,
            };
            return new Quantity(holds ? 1 : 0, Dimension.None);
        };
        return new Formula(_text, _references.Distinct().ToList(), check, null, isCheck: true);
    }

    private void Guard()
    {
        if (_text.Length > MaxLength)
        {
            throw new FormulaException($"a formula is at most {MaxLength} characters");
        }
    }

    private Quantity Literal()
    {
        var number = Number() ?? throw Error("a parameter is a number with a unit (120 mm) or a formula (= length * 2)");
        var unit = UnitAfterNumber();
        return unit is null ? new Quantity(number, Dimension.None) : new Quantity(number * unit.Factor, unit.Dimension, unit);
    }

    private Eval Sum()
    {
        var left = Product();
        while (true)
        {
            Skip();
            var op = Peek();
            if (op is not ('+' or '-'))
            {
                return left;
            }

            _at++;
            var (l, r) = (left, Product());
            left = op == '+'
                ? read => { var (a, b) = (l(read), r(read)); Same(a, b, "+"); return new Quantity(a.Value + b.Value, a.Dimension, a.Shown ?? b.Shown); }
                : read => { var (a, b) = (l(read), r(read)); Same(a, b, "-"); return new Quantity(a.Value - b.Value, a.Dimension, a.Shown ?? b.Shown); };
        }
    }

    private Eval Product()
    {
        var left = Unary();
        while (true)
        {
            Skip();
            var op = Peek();
            if (op is not ('*' or '/'))
            {
                return left;
            }

            _at++;
            var (l, r) = (left, Unary());
            left = op == '*'
                ? read => { var (a, b) = (l(read), r(read)); return new Quantity(a.Value * b.Value, a.Dimension * b.Dimension, Carry(a, b)); }
                : read => { var (a, b) = (l(read), r(read)); return new Quantity(a.Value / b.Value, a.Dimension / b.Dimension, b.Dimension == Dimension.None ? a.Shown : null); };
        }
    }

    private Eval Unary()
    {
        Skip();
        if (Peek() == '-')
        {
            _at++;
            var operand = Unary();
            return read => { var a = operand(read); return a with { Value = -a.Value }; };
        }

        return Power();
    }

    private Eval Power()
    {
        var operand = Atom();
        Skip();
        if (Peek() != '^')
        {
            return operand;
        }

        _at++;
        Skip();
        var negative = Peek() == '-';
        if (negative)
        {
            _at++;
        }

        var exponent = Number() is { } n && n == Math.Floor(n) && Math.Abs(n) <= 9 ? (int)n : throw Error("an exponent is a whole number from -9 to 9");
        exponent = negative ? -exponent : exponent;
        return read => { var a = operand(read); return new Quantity(Math.Pow(a.Value, exponent), a.Dimension.Pow(exponent), a.Dimension == Dimension.None ? a.Shown : null); };
    }

    private Eval Atom()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"a formula nests at most {MaxDepth} levels");
        }

        try
        {
            Skip();
            var c = Peek();
            if (c == '(')
            {
                _at++;
                var inner = Sum();
                Expect(')');
                return inner;
            }

            if (char.IsAsciiDigit(c) || c == '.')
            {
                var quantity = Literal();
                return _ => quantity;
            }

            if (c == '{' || char.IsAsciiLetter(c) || c == '_')
            {
                return Reference();
            }

            throw Error(c == '\0' ? "the formula ends too early" : $"unexpected '{c}'");
        }
        finally
        {
            _depth--;
        }
    }

    private Eval Reference()
    {
        string? node = null;
        if (Peek() == '{')
        {
            var close = _text.IndexOf('}', _at);
            node = close < 0 ? throw Error("'{' without '}'") : _text[(_at + 1)..close];
            if (!DesignNames.IsNode(node))
            {
                throw Error($"'{node}' is not a node id");
            }

            _at = close + 1;
            Expect('.');
        }

        var name = Identifier();
        Skip();
        if (node is null && Peek() == '(')
        {
            return Call(name);
        }

        if (node is null && Peek() == '.' && _at + 1 < _text.Length && (char.IsAsciiLetter(_text[_at + 1]) || _text[_at + 1] == '_'))
        {
            _at++;
            node = name;
            name = Identifier();
        }

        var reference = new ParameterRef(node ?? _node, DesignFields.ParameterPrefix + name);
        _references.Add(reference);
        return read => read(reference);
    }

    private Eval Call(string function)
    {
        _at++;
        var args = new List<Eval> { Sum() };
        Skip();
        while (Peek() == ',')
        {
            _at++;
            args.Add(Sum());
            Skip();
        }

        Expect(')');
        return (function, args.Count) switch
        {
            ("sqrt", 1) => read =>
            {
                var a = args[0](read);
                var d = a.Dimension.Sqrt() ?? throw new FormulaException($"sqrt of {a.Dimension} has no unit (an odd power)");
                return new Quantity(Math.Sqrt(a.Value), d);
            },
            ("abs", 1) => read => { var a = args[0](read); return a with { Value = Math.Abs(a.Value) }; },
            ("min" or "max", >= 2) => read =>
            {
                var values = args.Select(f => f(read)).ToList();
                foreach (var v in values.Skip(1))
                {
                    Same(values[0], v, function);
                }

                return function == "min" ? values.MinBy(v => v.Value) : values.MaxBy(v => v.Value);
            },
            _ => throw Error($"unknown function {function}/{args.Count}: sqrt(x), abs(x), min(x, y, ...), max(x, y, ...)"),
        };
    }

    private Unit? DeclaredUnit()
    {
        Skip();
        if (Peek() != '[')
        {
            return null;
        }

        var close = _text.IndexOf(']', _at);
        var symbol = close < 0 ? throw Error("'[' without ']'") : _text[(_at + 1)..close].Trim();
        _at = close + 1;
        return ReadUnit(symbol);
    }

    /// <summary>A unit right after a number (spaces allowed): letters, µ, °, %, exponents, and <c>. /</c> inside it.</summary>
    private Unit? UnitAfterNumber()
    {
        var save = _at;
        Skip();
        var start = _at;
        while (_at < _text.Length)
        {
            var c = _text[_at];
            var next = _at + 1 < _text.Length ? _text[_at + 1] : '\0';
            var inside = _at > start;
            if (char.IsLetter(c) || c is 'µ' or '°' or '%' || (inside && (char.IsAsciiDigit(c) || c == '^' || (c == '-' && _text[_at - 1] == '^')))
                || (inside && c is '.' or '/' && (char.IsLetter(next) || next is '1' or 'µ')))
            {
                _at++;
                continue;
            }

            break;
        }

        if (_at == start)
        {
            _at = save;
            return null;
        }

        return ReadUnit(_text[start.._at]);
    }

    private static Unit ReadUnit(string symbol)
    {
        try
        {
            return Unit.Parse(symbol);
        }
        catch (FormatException e)
        {
            throw new FormulaException(e.Message);
        }
    }

    private double? Number()
    {
        var start = _at;
        while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] == '.'))
        {
            _at++;
        }

        if (_at < _text.Length && _text[_at] is 'e' or 'E' && _at + 1 < _text.Length && (char.IsAsciiDigit(_text[_at + 1]) || (_text[_at + 1] is '+' or '-' && _at + 2 < _text.Length && char.IsAsciiDigit(_text[_at + 2]))))
        {
            _at += 2;
            while (_at < _text.Length && char.IsAsciiDigit(_text[_at]))
            {
                _at++;
            }
        }

        if (_at == start)
        {
            return null;
        }

        return double.TryParse(_text.AsSpan(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error($"'{_text[start.._at]}' is not a number");
    }

    private string Identifier()
    {
        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        var name = _text[start.._at];
        return IsName(name) ? name : throw Error("a parameter name is expected");
    }

    private string? Comparison()
    {
        foreach (var op in Comparisons)
        {
            if (string.CompareOrdinal(_text, _at, op, 0, op.Length) == 0)
            {
                _at += op.Length;
                return op;
            }
        }

        return null;
    }

    private static void Same(Quantity a, Quantity b, string op)
    {
        if (a.Dimension != b.Dimension)
        {
            throw new FormulaException($"unit mismatch: {op} of {Describe(a)} and {Describe(b)}");
        }
    }

    private static string Describe(Quantity q) => q.Shown is { } u && u.Symbol.Length > 0 ? $"{u.Symbol} ({q.Dimension})" : q.Dimension.ToString();

    private static Unit? Carry(Quantity a, Quantity b) =>
        b.Dimension == Dimension.None ? a.Shown : a.Dimension == Dimension.None ? b.Shown : null;

    private void Expect(char c)
    {
        Skip();
        if (Peek() != c)
        {
            throw Error($"'{c}' expected");
        }

        _at++;
    }

    private void End()
    {
        Skip();
        if (_at < _text.Length)
        {
            throw Error($"unexpected '{_text[_at]}'");
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private FormulaException Error(string message) => new($"{message} at position {_at + 1} of '{(_text.Length <= 60 ? _text : _text[..60] + "…")}'");
}
