using Millwright.Features.Anomalies;
using Millwright.Messages;

namespace Millwright.Tests.Anomalies;

public sealed class AnomalyVocabularyTests
{
    [Fact]
    public void A_program_tag_names_a_program_only_with_a_text_or_a_number_other_than_zero()
    {
        Assert.Equal("O1234", AnomalyVocabulary.ProgramName(TagValue.Of("O1234")));
        Assert.Equal("1234", AnomalyVocabulary.ProgramName(TagValue.Of(1234)));
        Assert.Null(AnomalyVocabulary.ProgramName(TagValue.Of(0)));
        Assert.Null(AnomalyVocabulary.ProgramName(default));
        Assert.Null(AnomalyVocabulary.ProgramName(TagValue.Of("")));
        Assert.Null(AnomalyVocabulary.ProgramName(TagValue.Of("  ")));
        Assert.Null(AnomalyVocabulary.ProgramName(TagValue.Of(true)));
        Assert.Null(AnomalyVocabulary.ProgramName(TagValue.Of(double.NaN)));
        Assert.Equal(AnomalyVocabulary.MaxProgram, AnomalyVocabulary.ProgramName(TagValue.Of(new string('P', 200)))!.Length);
    }

    [Fact]
    public void The_context_is_the_state_with_the_program_else_the_set_up_it_follows_else_the_state_alone()
    {
        var setUp = DateTimeOffset.Parse("2026-12-07T10:04:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal("running program O1234", AnomalyVocabulary.WithProgram("running", "O1234", setUp));
        Assert.Equal("running after set-up 2026-12-07 10:04:00 UTC", AnomalyVocabulary.WithProgram("running", null, setUp));
        Assert.Equal("idle", AnomalyVocabulary.WithProgram("idle", null, null));
    }
}
