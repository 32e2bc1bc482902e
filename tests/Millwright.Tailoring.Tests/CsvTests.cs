using System.Text;
using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

public sealed class CsvTests
{
    private static IReadOnlyList<CustomerRow> Parse(string text) => CustomerCsv.Parse(Encoding.UTF8.GetBytes(text), AnsurData.MaleModel);

    private static CsvFormatException Refusal(string text) => Assert.Throws<CsvFormatException>(() => Parse(text));

    [Fact]
    public void A_customer_file_gives_ids_lines_and_the_measurements_given()
    {
        var rows = Parse("id,Stature,weightkg\r\n\"a,1\",1780,\n\nb,1650,\"702\"\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(("a,1", 2), (rows[0].Id, rows[0].Line));
        Assert.Equal(1780, rows[0].Given[AnsurData.MaleModel.IndexOf("stature")]);
        Assert.Single(rows[0].Given);
        Assert.Equal(("b", 4), (rows[1].Id, rows[1].Line));
        Assert.Equal(702, rows[1].Given[AnsurData.MaleModel.IndexOf("weightkg")]);
    }

    [Theory]
    [InlineData("", 1, 1, "empty")]
    [InlineData("id,stature\n", 2, 1, "no rows")]
    [InlineData("id,stature,shoesize\n1,1700,42\n", 1, 3, "unknown column 'shoesize'")]
    [InlineData("stature\n1700\n", 1, 1, "no 'id' column")]
    [InlineData("id,stature,Stature\n1,1700,1700\n", 1, 3, "appears twice")]
    [InlineData("id,stature,weightkg\n1,1700,800\n2,tall,800\n", 3, 2, "'tall' in column stature is not a number")]
    [InlineData("id,stature\n1,1700\n2,1650\n1,1800\n", 4, 1, "duplicate id '1' (first on line 2)")]
    [InlineData("id,stature\n1,1700,3\n", 2, 3, "3 fields where the header has 2")]
    [InlineData("id,stature\n1,\"1700\n", 2, 3, "not closed")]
    [InlineData("id,stature\n1,17\"00\n", 2, 5, "quote inside")]
    [InlineData("id,age\n1,30\n", 1, 2, "unknown column 'age'")]
    public void Bad_files_are_refused_with_line_and_column(string text, int line, int column, string reason)
    {
        var refusal = Refusal(text);

        Assert.Equal((line, column), (refusal.Line, refusal.Column));
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_line()
    {
        var refusal = Assert.Throws<CsvFormatException>(() => CustomerCsv.Parse([.. "id,stature\n1,"u8, 0xC3, 0x28], AnsurData.MaleModel));

        Assert.Equal(2, refusal.Line);
    }
}
