using System.Diagnostics.CodeAnalysis;
using Millwright.Messages;

namespace Millwright.Features.States;

/// <summary>A machine's latest values without their timestamps, read through to the tracker's own dictionary.</summary>
internal sealed class LatestView(Dictionary<string, (long Timestamp, TagValue Value)> values) : IReadOnlyDictionary<string, TagValue>
{
    public TagValue this[string key] => values[key].Value;

    public IEnumerable<string> Keys => values.Keys;

    public IEnumerable<TagValue> Values => values.Values.Select(static v => v.Value);

    public int Count => values.Count;

    public bool ContainsKey(string key) => values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TagValue value)
    {
        if (values.TryGetValue(key, out var held))
        {
            value = held.Value;
            return true;
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, TagValue>> GetEnumerator() =>
        values.Select(static v => KeyValuePair.Create(v.Key, v.Value.Value)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
