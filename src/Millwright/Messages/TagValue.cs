using System.Globalization;
using System.Text.Json;

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

    /// <summary>
    /// The value as JSON would carry it: null for a number that is not finite (NaN, ±infinity), which JSON cannot
    /// hold. Such a value reaches the twin only flagged (a Modbus float register may hold NaN); no series stores it.
    /// </summary>
    public object? AsObject() => Kind switch
    {
        TagValueKind.Number => double.IsFinite(Number) ? Number : null,
        TagValueKind.Boolean => Number != 0,
        _ => Text!,
    };

    /// <summary>Writes the value as an array element or after a property name (<see cref="AsObject"/>'s JSON).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case TagValueKind.Number when double.IsFinite(Number):
                writer.WriteNumberValue(Number);
                break;
            case TagValueKind.Number:
                writer.WriteNullValue();
                break;
            case TagValueKind.Boolean:
                writer.WriteBooleanValue(Number != 0);
                break;
            default:
                writer.WriteStringValue(Text);
                break;
        }
    }

    /// <summary>Writes the value as the property <paramref name="name"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        WriteTo(writer);
    }

    public override string ToString() => Kind switch
    {
        TagValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        TagValueKind.Boolean => Number != 0 ? "true" : "false",
        _ => Text!,
    };
}
