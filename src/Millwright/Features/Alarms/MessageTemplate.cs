using System.Text;

namespace Millwright.Features.Alarms;

/// <summary>
/// An alarm's message with placeholders, e.g. <c>"{machine}: {tag} at {value} above {limit}"</c>. Tenants write
/// these, so the parser takes any text and either returns a template or throws <see cref="MessageTemplateException"/>
/// with the position; <c>{{</c> and <c>}}</c> stand for literal braces. Rendering never fails.
/// </summary>
internal sealed class MessageTemplate
{
    public const int MaxLength = 500;

    public static readonly string[] Placeholders = ["machine", "tag", "value", "limit", "rule", "severity", "state", "duration"];

    // Literal text and placeholder names alternate; a placeholder is stored as its index in Placeholders.
    private readonly IReadOnlyList<(string? Text, int Placeholder)> _parts;

    private MessageTemplate(string text, IReadOnlyList<(string? Text, int Placeholder)> parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    public static MessageTemplate Parse(string text)
    {
        if (text.Length == 0)
        {
            throw new MessageTemplateException("must not be empty");
        }

        if (text.Length > MaxLength)
        {
            throw new MessageTemplateException($"must be at most {MaxLength} characters");
        }

        var parts = new List<(string?, int)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                throw new MessageTemplateException($"control character at position {i + 1}");
            }

            if (c == '}')
            {
                if (i + 1 < text.Length && text[i + 1] == '}')
                {
                    literal.Append('}');
                    i++;
                    continue;
                }

                throw new MessageTemplateException($"'}}' at position {i + 1} closes nothing (write '}}}}' for a brace)");
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                literal.Append('{');
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw new MessageTemplateException($"'{{' at position {i + 1} is not closed (write '{{{{' for a brace)");
            }

            var name = text[(i + 1)..close];
            var index = Array.IndexOf(Placeholders, name);
            if (index < 0)
            {
                throw new MessageTemplateException($"unknown placeholder '{{{Truncate(name)}}}' at position {i + 1}; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}");
            }

            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), -1));
                literal.Clear();
            }

            parts.Add((null, index));
            i = close;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), -1));
        }

        return new MessageTemplate(text, parts);
    }

    /// <summary>The message with each placeholder replaced by its value (in the order of <see cref="Placeholders"/>).</summary>
    public string Render(IReadOnlyList<string> values)
    {
        var text = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            text.Append(literal ?? (placeholder < values.Count ? values[placeholder] : ""));
        }

        return text.ToString();
    }

    private static string Truncate(string name) => name.Length > 20 ? name[..20] + "..." : name;
}
