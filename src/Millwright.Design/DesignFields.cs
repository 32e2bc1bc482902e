using System.Globalization;

namespace Millwright.Design;

/// <summary>
/// The fields a node of the product structure has, and what each may hold: name, number (part number), type
/// (assembly or part), quantity (a positive number), material, unique ("true": the part may sit in one parent only)
/// and parameters (<c>param.NAME</c>: a quantity with a unit, or a formula). A null value clears the field.
/// </summary>
internal static class DesignFields
{
    public const string Name = "name";
    public const string Number = "number";
    public const string Type = "type";
    public const string Quantity = "quantity";
    public const string Material = "material";
    public const string Unique = "unique";
    public const string ParameterPrefix = "param.";
    public const int MaxText = 200;

    public static bool IsParameter(string field) => field.StartsWith(ParameterPrefix, StringComparison.Ordinal) && field.Length > ParameterPrefix.Length;

    /// <summary>Why <paramref name="value"/> cannot be written to <paramref name="field"/>, or null when it can.</summary>
    public static string? Check(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return field switch
        {
            Name or Number or Material => value.Length <= MaxText && value.Trim().Length > 0 ? null : $"{field} must be 1-{MaxText} characters",
            Type => value is "assembly" or "part" ? null : "type must be assembly or part",
            Unique => value is "true" or "false" ? null : "unique must be true or false",
            Quantity => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) && double.IsFinite(q) && q > 0
                ? null : $"quantity must be a positive number, not '{Shorten(value)}'",
            _ when IsParameter(field) => null,
            _ => $"unknown field '{field}': name, number, type, quantity, material, unique or param.NAME",
        };
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
