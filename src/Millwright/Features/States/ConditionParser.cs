using System.Globalization;
using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.States;

/// <summary>
/// Parses the small condition language of state rules. It is untrusted input (any operator may PUT rules), so
/// the parser is bounded in length and nesting, never evaluates anything but comparisons, and fails only with
/// <see cref="ConditionFormatException"/>.
/// <code>
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | "(" or ")" | comparison
/// comparison := tag [op literal]          a bare tag means "tag == true"
/// op         := "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
/// literal    := number | 'text' | "text" | true | false
/// </code>
/// </summary>
internal sealed class ConditionParser
{
    public const int MaxLength = 1000;
    public const int MaxDepth = 16;

    private readonly string _text;
    private readonly HashSet<string> _tags = new(StringComparer.Ordinal);
    private int _pos;
    private int _depth;

    private ConditionParser(string text) => _text = text;

    public static Condition Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConditionFormatException("the condition is empty", 0);
        }

        if (text.Length > MaxLength)
        {
            throw new ConditionFormatException($"the condition is longer than {MaxLength} characters", MaxLength);
        }

        var parser = new ConditionParser(text);
        var test = parser.ParseOr();
        parser.SkipSpace();
        if (parser._pos < text.Length)
        {
            throw new ConditionFormatException($"unexpected '{text[parser._pos]}'; expected 'and', 'or' or the end", parser._pos);
        }

        return new Condition(text, parser._tags, test);
    }

    private Func<IReadOnlyDictionary<string, TagValue>, bool> ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("or"))
        {
            var a = left;
            var b = ParseAnd();
            left = v => a(v) || b(v);
        }

        return left;
    }

    private Func<IReadOnlyDictionary<string, TagValue>, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (TryKeyword("and"))
        {
            var a = left;
            var b = ParseUnary();
            left = v => a(v) && b(v);
        }

        return left;
    }

    private Func<IReadOnlyDictionary<string, TagValue>, bool> ParseUnary()
    {
        if (++_depth > MaxDepth)
        {
            throw new ConditionFormatException($"nested deeper than {MaxDepth} levels", _pos);
        }

        try
        {
            if (TryKeyword("not"))
            {
                var inner = ParseUnary();
                return v => !inner(v);
            }

            SkipSpace();
            if (Peek() == '(')
            {
                _pos++;
                var inner = ParseOr();
                SkipSpace();
                if (Peek() != ')')
                {
                    throw new ConditionFormatException("missing ')'", _pos);
                }

                _pos++;
                return inner;
            }

            return ParseComparison();
        }
        finally
        {
            _depth--;
        }
    }

    private Func<IReadOnlyDictionary<string, TagValue>, bool> ParseComparison()
    {
        SkipSpace();
        var at = _pos;
        var tag = ReadWord();
        if (tag.Length == 0)
        {
            throw new ConditionFormatException(_pos < _text.Length ? $"expected a tag name, found '{_text[_pos]}'" : "expected a tag name, found the end", _pos);
        }

        if (tag is "and" or "or" or "not" or "true" or "false" || !char.IsAsciiLetter(tag[0]))
        {
            throw new ConditionFormatException($"expected a tag name, found '{tag}'", at);
        }

        _tags.Add(tag);
        SkipSpace();
        var op = ReadOperator();
        if (op is null)
        {
            // A bare tag: true when the tag is a true boolean or a non-zero number.
            return v => v.TryGetValue(tag, out var value) && value.Kind != TagValueKind.Text && value.Number != 0;
        }

        SkipSpace();
        var literalAt = _pos;
        var literal = ReadLiteral();
        if (literal.Kind != TagValueKind.Number && op is not ("==" or "!="))
        {
            throw new ConditionFormatException($"'{op}' compares numbers only; text and booleans take == or !=", literalAt);
        }

        return Compile(tag, op, literal);
    }

    private static Func<IReadOnlyDictionary<string, TagValue>, bool> Compile(string tag, string op, TagValue literal)
    {
        if (literal.Kind == TagValueKind.Text)
        {
            var text = literal.Text;
            var equal = op == "==";
            return v => v.TryGetValue(tag, out var value) && value.Kind == TagValueKind.Text
                && string.Equals(value.Text, text, StringComparison.Ordinal) == equal;
        }

        var number = literal.Number;
        return op switch
        {
            "==" => v => Number(v, tag) is { } x && x == number,
            "!=" => v => Number(v, tag) is { } x && x != number,
            "<" => v => Number(v, tag) is { } x && x < number,
            "<=" => v => Number(v, tag) is { } x && x <= number,
            ">" => v => Number(v, tag) is { } x && x > number,
            _ => v => Number(v, tag) is { } x && x >= number,
        };
    }

    /// <summary>A number or boolean (1/0) tag's value; null when missing, text or NaN.</summary>
    private static double? Number(IReadOnlyDictionary<string, TagValue> values, string tag) =>
        values.TryGetValue(tag, out var value) && value.Kind != TagValueKind.Text && !double.IsNaN(value.Number) ? value.Number : null;

    private string? ReadOperator()
    {
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) == 0)
            {
                _pos += op.Length;
                return op;
            }
        }

        if (_pos < _text.Length && _text[_pos] is '=' or '!')
        {
            throw new ConditionFormatException($"unknown operator starting with '{_text[_pos]}'; use ==, !=, <, <=, > or >=", _pos);
        }

        return null;
    }

    private TagValue ReadLiteral()
    {
        var c = Peek();
        if (c is '\'' or '"')
        {
            var end = _text.IndexOf(c, _pos + 1);
            if (end < 0)
            {
                throw new ConditionFormatException("unterminated text", _pos);
            }

            var value = _text[(_pos + 1)..end];
            _pos = end + 1;
            return TagValue.Of(value);
        }

        var at = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '.' or '-' or '+' or '_'))
        {
            _pos++;
        }

        var word = _text[at.._pos];
        if (word == "true" || word == "false")
        {
            return TagValue.Of(word == "true");
        }

        if (word.Length > 0 && double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return TagValue.Of(number);
        }

        throw new ConditionFormatException(word.Length == 0 ? "expected a number, 'text', true or false" : $"'{word}' is not a number, 'text', true or false", at);
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        var end = _pos + keyword.Length;
        if (end <= _text.Length && string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0
            && (end == _text.Length || !IsWordChar(_text[end])))
        {
            _pos = end;
            return true;
        }

        return false;
    }

    private string ReadWord()
    {
        var at = _pos;
        while (_pos < _text.Length && IsWordChar(_text[_pos]))
        {
            _pos++;
        }

        return _text[at.._pos];
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
