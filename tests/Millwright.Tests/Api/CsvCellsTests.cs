using Millwright.Api;

namespace Millwright.Tests.Api;

public sealed class CsvCellsTests
{
    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@SUM(A1)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(string text) =>
        Assert.Equal("\"'" + text + "\"", CsvCells.Quote(text));

    [Theory]
    [InlineData("ok", "\"ok\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    public void Other_text_is_quoted_as_RFC_4180_says(string text, string expected) =>
        Assert.Equal(expected, CsvCells.Quote(text));
}
