using System.Globalization;

namespace Millwright.Messages;

/// <summary>One reported value: a number, a boolean or a short text (a program name, an alarm text).</summary>
internal readonly record struct TagValue
{
    private TagValue(TagValueKind kind, double number, string? text)
    {
        Kind = kind;
        Number = number;
        Text = text;
    }

    public TagValueKind Kind { get; }

    /// <summary>The number, or 1/0 for a boolean; NaN for text.</summary>
    public double Number { get; }

    public string? Text { get; }

    public static TagValue Of(double number) => new(TagValueKind.Number, number, null);

    public static TagValue Of(bool flag) => new(TagValueKind.Boolean, flag ? 1 : 0, null);

    public static TagValue Of(string text) => new(TagValueKind.Text, double.NaN, text);

    /// <summary>The value as JSON would carry it.</summary>
    public object AsObject() => Kind switch
    {
        TagValueKind.Number => Number,
        TagValueKind.Boolean => Number != 0,
        _ => Text!,
    };

    public override string ToString() => Kind switch
    {
        TagValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        TagValueKind.Boolean => Number != 0 ? "true" : "false",
        _ => Text!,
    };
}
