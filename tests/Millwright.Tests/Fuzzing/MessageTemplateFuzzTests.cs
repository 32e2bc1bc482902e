using System.Text;
using Millwright.Features.Alarms;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>Alarm message templates are tenant text: mutated templates may only parse (and then render) or fail with the template's own exception.</summary>
public sealed class MessageTemplateFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        "{machine}: {tag} at {value} above {limit}"u8.ToArray(),
        "{{literal}} {rule} ({severity}) is {state} for {duration}"u8.ToArray(),
        "plain text, é 😀 }} {{"u8.ToArray(),
    ];

    [Fact]
    public void Mutated_templates_only_parse_or_fail_with_a_template_error()
    {
        var engine = new MutationEngine(Seeds, randomSeed: 20261122, fields: []);
        string[] values = ["m", "t", "1", "2", "r", "low", "down", "5 s"];
        for (var i = 0; i < 100_000; i++)
        {
            var (_, input) = engine.Next();
            var text = Encoding.UTF8.GetString(input);
            try
            {
                var template = MessageTemplate.Parse(text);
                var rendered = template.Render(values);
                // Every value here is shorter than any placeholder, and escapes shrink: nothing can grow.
                Assert.True(rendered.Length <= text.Length, $"'{text}' rendered as '{rendered}'");
            }
            catch (MessageTemplateException)
            {
                // The one refusal the parser may give.
            }
        }
    }

    [Theory]
    [InlineData("{machine} {{x}} }}{{", "M {x} }{")]
    [InlineData("{value}{value}", "11")]
    [InlineData("no placeholders", "no placeholders")]
    public void Templates_render_their_placeholders_and_escaped_braces(string text, string expected) =>
        Assert.Equal(expected, MessageTemplate.Parse(text).Render(["M", "t", "1", "2", "r", "low", "down", "5 s"]));

    [Theory]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("{}")]
    [InlineData("{value")]
    [InlineData("{Machine}")]
    [InlineData("a\u0000b")]
    public void Broken_templates_are_refused(string text) =>
        Assert.Throws<MessageTemplateException>(() => MessageTemplate.Parse(text));
}
