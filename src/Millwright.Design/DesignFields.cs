using System.Globalization;
using Millwright.Design.Parameters;

namespace Millwright.Design;

/// <summary>
/// The fields a node of the product structure has, and what each may hold: name, number (part number), type
/// (assembly or part), quantity (a positive number), material, unique ("true": the part may sit in one parent only)
/// part type (<c>parttype</c>: which routing template a released part is made with), parameters (<c>param.NAME</c>: a
/// quantity with a unit, or a formula), constraints (<c>constraint.NAME</c>: a comparison), documents (<c>doc.NAME</c>:
/// a file by reference and hash, <see cref="DocumentReference"/>) and requirements (<c>req.NAME</c>: what the node must
/// meet, in words; <c>verify.NAME</c>: the comparison that shows requirement NAME is met). A null value clears the field.
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
    public const string DocumentPrefix = "doc.";
    public const string RequirementPrefix = "req.";
    public const string VerifyPrefix = "verify.";
    public const int MaxRequirement = 500;
    public const int MaxText = 200;

    public static bool IsParameter(string field) => field.StartsWith(ParameterPrefix, StringComparison.Ordinal) && field.Length > ParameterPrefix.Length;

    public static bool IsConstraint(string field) => field.StartsWith(ConstraintPrefix, StringComparison.Ordinal) && field.Length > ConstraintPrefix.Length;

    /// <summary>A comparison the parameter sheet evaluates to holds or not: a constraint, or a requirement's verification.</summary>
    public static bool IsComparison(string field) =>
        field.StartsWith(ConstraintPrefix, StringComparison.Ordinal) || field.StartsWith(VerifyPrefix, StringComparison.Ordinal);

    public static bool IsDocument(string field) => field.StartsWith(DocumentPrefix, StringComparison.Ordinal) && field.Length > DocumentPrefix.Length;

    /// <summary>A requirement's statement or its verification: both name the requirement after the dot.</summary>
    public static bool IsRequirement(string field) =>
        (field.StartsWith(RequirementPrefix, StringComparison.Ordinal) && field.Length > RequirementPrefix.Length)
        || (field.StartsWith(VerifyPrefix, StringComparison.Ordinal) && field.Length > VerifyPrefix.Length);

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
            _ when field.StartsWith(VerifyPrefix, StringComparison.Ordinal) => Syntax(field, VerifyPrefix, value, FormulaParser.Constraint),
            _ when field.StartsWith(RequirementPrefix, StringComparison.Ordinal) => Named(field, RequirementPrefix)
                ?? (value.Trim().Length > 0 && value.Length <= MaxRequirement && !value.Any(char.IsControl) ? null : $"{field}: a requirement is 1-{MaxRequirement} characters without control characters"),
            _ when field.StartsWith(DocumentPrefix, StringComparison.Ordinal) => Named(field, DocumentPrefix)
                ?? (DocumentReference.Parse(value).Error is { } error ? $"{field}: {error}" : null),
            _ => $"unknown field '{field}': name, number, type, quantity, material, unique, parttype, param.NAME, constraint.NAME, doc.NAME, req.NAME or verify.NAME",
        };
    }

    private static string? Named(string field, string prefix) =>
        FormulaParser.IsName(field[prefix.Length..]) ? null : $"{field}: a name is a letter or _, then letters, digits or _ (at most 40)";

    /// <summary>The name and the syntax of a parameter or constraint; what it refers to is checked against the design (ParameterSheet).</summary>
    private static string? Syntax(string field, string prefix, string value, Func<string, string, Formula> parse)
    {
        if (Named(field, prefix) is { } name)
        {
            return name;
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
