using System.Globalization;
using Millwright.Design.Parameters;

namespace Millwright.Design;

/// <summary>
/// The fields a node of the product structure has, and what each may hold: name, number (part number), type
/// (assembly or part), quantity (a positive number), material, unique ("true": the part may sit in one parent only)
/// part type (<c>parttype</c>: which routing template a released part is made with), parameters (<c>param.NAME</c>: a
/// quantity with a unit, or a formula) and constraints (<c>constraint.NAME</c>: a comparison). A null value clears the field.
/// </summary>
internal static class DesignFields
{
    public const string Name = "name";
    public const string Number = "number";
    public const string Type = "type";
    public const string Quantity = "quantity";
    public const string Material = "material";
    public const string Unique = "unique";
    public const string PartType = "parttype";
    public const string ParameterPrefix = "param.";
    public const string ConstraintPrefix = "constraint.";
    public const int MaxText = 200;

    public static bool IsParameter(string field) => field.StartsWith(ParameterPrefix, StringComparison.Ordinal) && field.Length > ParameterPrefix.Length;

    public static bool IsConstraint(string field) => field.StartsWith(ConstraintPrefix, StringComparison.Ordinal) && field.Length > ConstraintPrefix.Length;

    /// <summary>Why <paramref name="value"/> cannot be written to <paramref name="field"/>, or null when it can.</summary>
    public static string? Check(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return field switch
        {
            Name or Number or Material or PartType => value.Length <= MaxText && value.Trim().Length > 0 ? null : $"{field} must be 1-{MaxText} characters",
            Type => value is "assembly" or "part" ? null : "type must be assembly or part",
            Unique => value is "true" or "false" ? null : "unique must be true or false",
            Quantity => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) && double.IsFinite(q) && q > 0
                ? null : $"quantity must be a positive number, not '{Shorten(value)}'",
            _ when IsParameter(field) => Syntax(field, ParameterPrefix, value, FormulaParser.Parameter),
            _ when IsConstraint(field) => Syntax(field, ConstraintPrefix, value, FormulaParser.Constraint),
            _ => $"unknown field '{field}': name, number, type, quantity, material, unique, parttype, param.NAME or constraint.NAME",
        };
    }

    /// <summary>The name and the syntax of a parameter or constraint; what it refers to is checked against the design (ParameterSheet).</summary>
    private static string? Syntax(string field, string prefix, string value, Func<string, string, Formula> parse)
    {
        if (!FormulaParser.IsName(field[prefix.Length..]))
        {
            return $"{field}: a name is a letter or _, then letters, digits or _ (at most 40)";
        }

        try
        {
            _ = parse(value, "_");
            return null;
        }
        catch (FormulaException e)
        {
            return $"{field}: {e.Message}";
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
