using System.Text.RegularExpressions;

namespace Millwright.Api;

/// <summary>Collects every problem of one input so the caller sees them all at once.</summary>
internal sealed partial class Validator
{
    public const int NameMax = 100;
    public const int DescriptionMax = 2000;

    private readonly Dictionary<string, List<string>> _errors = [];

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public bool IsValid => _errors.Count == 0;

    /// <summary>A display name: required, trimmed, 1..100 characters, no control characters.</summary>
    public string Name(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return "";
        }

        var trimmed = value.Trim();
        if (trimmed.Length > NameMax)
        {
            Add(field, $"must be at most {NameMax} characters");
        }

        if (trimmed.Any(char.IsControl))
        {
            Add(field, "must not contain control characters");
        }

        return trimmed;
    }

    /// <summary>An identifier that appears in MQTT topics and URLs: lower-case letters, digits, '-' and '_'.</summary>
    public string Slug(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "is required");
            return "";
        }

        if (!SlugPattern().IsMatch(value))
        {
            Add(field, "must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }

        return value;
    }

    public string? Description(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > DescriptionMax)
        {
            Add(field, $"must be at most {DescriptionMax} characters");
        }

        return value;
    }

    public long Id(string field, long? value)
    {
        if (value is null or <= 0)
        {
            Add(field, "is required and must be a positive id");
            return 0;
        }

        return value.Value;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            var detail = string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            throw new ApiProblem(StatusCodes.Status400BadRequest, "Invalid request", detail,
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}\z")]
    private static partial Regex SlugPattern();
}
