using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Millwright.Features.PlantFiles;

/// <summary>
/// Reads one YAML mapping with positions kept: an unknown key, a wrong type or a failed check is
/// reported at the line and column where it stands.
/// </summary>
internal sealed class YamlNodeReader
{
    private readonly string _file;
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public YamlNodeReader(string file, YamlNode node, params string[] allowedKeys)
    {
        _file = file;
        _node = node as YamlMappingNode ?? throw Error(node.Start, "expected a mapping (key: value lines)");
        foreach (var (key, value) in _node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw Error(key.Start, "keys must be plain names");
            if (!allowedKeys.Contains(name))
            {
                throw Error(key.Start, $"unknown key '{name}'; expected one of {string.Join(", ", allowedKeys)}");
            }

            _values[name] = value;
        }
    }

    public Mark Start => _node.Start;

    /// <summary>Where <paramref name="key"/>'s value stands, or the mapping itself when the key is absent.</summary>
    public Mark MarkOf(string key) => _values.TryGetValue(key, out var value) ? value.Start : _node.Start;

    public string? String(string key)
    {
        if (!_values.TryGetValue(key, out var value) || IsNull(value))
        {
            return null;
        }

        return (value as YamlScalarNode)?.Value ?? throw Error(value.Start, $"'{key}' must be a single value");
    }

    public string RequiredString(string key) => String(key) ?? throw Error(MarkOf(key), $"'{key}' is required");

    public double? Number(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw Error(MarkOf(key), $"'{key}' must be a number, not '{text}'");
    }

    public IEnumerable<YamlNodeReader> List(string key, params string[] allowedKeys)
    {
        if (!_values.TryGetValue(key, out var value) || IsNull(value))
        {
            return [];
        }

        var sequence = value as YamlSequenceNode ?? throw Error(value.Start, $"'{key}' must be a list (lines starting with '- ')");
        return sequence.Children.Select(item => new YamlNodeReader(_file, item, allowedKeys)).ToList();
    }

    public PlantFileException Error(Mark at, string problem) => new(_file, at.Line, at.Column, problem);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
