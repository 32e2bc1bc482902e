using System.Text;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Fuzzing;
using Millwright.Messages;

namespace Millwright.Tests.States;

public sealed class ConditionParserTests
{
    private static Dictionary<string, TagValue> Values(params (string Tag, TagValue Value)[] values) =>
        values.ToDictionary(v => v.Tag, v => v.Value, StringComparer.Ordinal);

    [Theory]
    [InlineData("spindle_speed > 0 and feed_override > 0", true)]
    [InlineData("spindle_speed > 0 and feed_override > 50", false)]
    [InlineData("alarm_code != 0 or spindle_speed >= 1200", true)]
    [InlineData("not (spindle_speed < 1200) and program == 'O1234'", true)]
    [InlineData("program != \"O1234\"", false)]
    [InlineData("running", true)]
    [InlineData("running == false", false)]
    [InlineData("not running or alarm_code == 0", true)]
    [InlineData("temperature > -5.5e1", true)]
    [InlineData("spindle_speed <= 1200 and spindle_speed >= 1200 and spindle_speed == 1200", true)]
    public void Conditions_evaluate_on_the_twin(string text, bool expected)
    {
        var values = Values(("spindle_speed", TagValue.Of(1200)), ("feed_override", TagValue.Of(10)), ("alarm_code", TagValue.Of(0)),
            ("program", TagValue.Of("O1234")), ("running", TagValue.Of(true)), ("temperature", TagValue.Of(20)));
        Assert.Equal(expected, ConditionParser.Parse(text).IsTrue(values));
    }

    [Fact]
    public void A_missing_tag_makes_its_comparison_false_and_its_negation_true()
    {
        Assert.False(ConditionParser.Parse("alarm_code != 0").IsTrue(Values()));
        Assert.True(ConditionParser.Parse("not alarm_code != 0").IsTrue(Values()));
        // A text value never compares as a number.
        Assert.False(ConditionParser.Parse("alarm_code > 0").IsTrue(Values(("alarm_code", TagValue.Of("E42")))));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var condition = ConditionParser.Parse("a == 1 or b == 1 and c == 1");
        Assert.True(condition.IsTrue(Values(("a", TagValue.Of(1)), ("b", TagValue.Of(0)), ("c", TagValue.Of(0)))));
        Assert.Equal(["a", "b", "c"], condition.Tags.Order());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("spindle_speed >", "expected a number")]
    [InlineData("spindle_speed > fast", "'fast' is not a number")]
    [InlineData("spindle_speed = 0", "unknown operator")]
    [InlineData("(a > 0", "missing ')'")]
    [InlineData("a > 0 b > 0", "expected 'and', 'or' or the end")]
    [InlineData("program < 'x'", "compares numbers only")]
    [InlineData("a == 'open", "unterminated text")]
    [InlineData("and > 1", "expected a tag name")]
    [InlineData("1 > 0", "expected a tag name")]
    [InlineData("a > 0 and", "expected a tag name, found the end")]
    [InlineData("a > NaN", "'NaN' is not a number")]
    [InlineData("a > 1e999", "is not a number")]
    public void Bad_conditions_are_refused_with_what_and_where(string text, string message)
    {
        var e = Assert.Throws<ConditionFormatException>(() => ConditionParser.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("at position", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_and_length_are_bounded()
    {
        Assert.Throws<ConditionFormatException>(() => ConditionParser.Parse(new string('(', 100) + "a > 0" + new string(')', 100)));
        Assert.Throws<ConditionFormatException>(() => ConditionParser.Parse(string.Concat(Enumerable.Repeat("not ", 100)) + "a > 0"));
        Assert.Throws<ConditionFormatException>(() => ConditionParser.Parse(string.Join(" or ", Enumerable.Repeat("a > 0", 200))));
        Assert.True(ConditionParser.Parse(new string('(', 10) + "a > 0" + new string(')', 10)).IsTrue(Values(("a", TagValue.Of(1)))));
    }

    [Fact]
    public void Mutated_conditions_only_parse_or_fail_with_a_format_error()
    {
        byte[][] seeds =
        [
            "spindle_speed > 0 and feed_override > 0"u8.ToArray(),
            "not (alarm_code != 0 or door_open) and program == 'O1234'"u8.ToArray(),
            "((a >= -1.5e3) or b <= 2) and c != \"x y\" and d == true"u8.ToArray(),
        ];
        var engine = new MutationEngine(seeds, randomSeed: 20261122, fields: []);
        var values = Values(("spindle_speed", TagValue.Of(1)), ("a", TagValue.Of("t")), ("d", TagValue.Of(false)));
        var parsed = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var condition = ConditionParser.Parse(Encoding.UTF8.GetString(input));
                condition.IsTrue(values);
                parsed++;
            }
            catch (ConditionFormatException)
            {
                // The one refusal the parser may give.
            }
        }

        // The mutations must leave some inputs valid, or the fuzzing only ever exercised the error paths.
        Assert.InRange(parsed, 1, 99_999);
    }
}
