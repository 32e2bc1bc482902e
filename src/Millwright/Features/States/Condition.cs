using Millwright.Features.Telemetry;
using Millwright.Messages;

namespace Millwright.Features.States;

/// <summary>
/// A parsed state condition such as <c>spindle_speed > 0 and not alarm_code != 0</c>: its text, the tags it
/// reads and the compiled test. A tag the machine has not reported makes its comparison false.
/// </summary>
internal sealed class Condition(string text, IReadOnlySet<string> tags, Func<IReadOnlyDictionary<string, TagValue>, bool> test)
{
    public string Text { get; } = text;

    public IReadOnlySet<string> Tags { get; } = tags;

    public bool IsTrue(IReadOnlyDictionary<string, TagValue> values) => test(values);
}
