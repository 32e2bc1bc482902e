using System.Text;
using Millwright.Fuzzing;
using Millwright.Scheduling.Erp;

namespace Millwright.Scheduling.Tests.Erp;

public sealed class ErpOrderCsvTests
{
    [Fact]
    public void Columns_in_any_order_quoted_fields_and_both_line_ends_are_read()
    {
        var lines = ErpOrderCsv.Parse(Encoding.UTF8.GetBytes(
            "\uFEFFdue,Item,erp_order_number,quantity,customer,priority\r\n2027-03-31,\"BR,KT\",PO-1,12,\"ACME\"\"s\"\"\",\r\n\n2027-04-01T14:00:00+01:00,BRKT,PO-2,3,,40\n"));

        Assert.Equal(2, lines.Count);
        Assert.Equal(new ErpOrderLine(2, "PO-1", "BR,KT", 12, new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero), null, null, "ACME\"s\"", 2, 0, 1), lines[0]);
        Assert.Equal(4, lines[1].Line);
        Assert.Equal(new DateTimeOffset(2027, 4, 1, 13, 0, 0, TimeSpan.Zero), lines[1].Due);
        Assert.Equal(40, lines[1].Priority);
        Assert.Null(lines[1].Customer);
    }

    [Theory]
    [InlineData("", 1, 1, "empty")]
    [InlineData("erp_order_number,item,quantity,due\n", 2, 1, "no orders")]
    [InlineData("erp_order_number,item,quantity,due,colour\nA,B,1,2027-01-01,red\n", 1, 5, "unknown column 'colour'")]
    [InlineData("erp_order_number,item,due\nA,B,2027-01-01\n", 1, 4, "quantity")]
    [InlineData("erp_order_number,item,quantity,quantity,due\nA,B,1,1,2027-01-01\n", 1, 4, "named twice")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,1,2027-01-01\nC,B,ten,2027-01-01\n", 3, 3, "'ten' is not a whole number")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,0,2027-01-01\n", 2, 3, "outside 1..")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,1,31.12.2027\n", 2, 4, "not a date")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,1,2027-01-01T10:00:00\n", 2, 4, "not a date")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,1,2027-01-01\nA,B,2,2027-01-01\n", 3, 1, "first on line 2")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,1\n", 2, 4, "3 fields")]
    [InlineData("erp_order_number,item,quantity,due\nA,B,1,2027-01-01,x\n", 2, 5, "5 fields")]
    [InlineData("erp_order_number,item,quantity,due\n\"A\nB\",C,1,2027-01-01\nD,,1,2027-01-01\n", 2, 1, "control character")]
    [InlineData("erp_order_number,item,quantity,due,customer\nA,B,1,2027-01-01,\"x\"\"y\"\nD,,1,2027-01-01,z\n", 3, 2, "required")]
    [InlineData("erp_order_number,item,quantity,due\nA,B\"C,1,2027-01-01\n", 2, 2, "double quote")]
    [InlineData("erp_order_number,item,quantity,due\nA,\"B\"C,1,2027-01-01\n", 2, 2, "closing quote")]
    [InlineData("erp_order_number,item,quantity,due\nA,\"B,1,2027-01-01\n", 2, 2, "not closed")]
    [InlineData("erp_order_number,item,quantity,due,priority\nA,B,1,2027-01-01,101\n", 2, 5, "outside 1..100")]
    public void A_faulty_file_is_refused_at_its_line_and_column(string csv, int line, int column, string problem)
    {
        var e = Assert.Throws<ErpCsvException>(() => ErpOrderCsv.Parse(Encoding.UTF8.GetBytes(csv)));

        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_at_their_line()
    {
        var bytes = Encoding.UTF8.GetBytes("erp_order_number,item,quantity,due\nA,B,1,2027-01-01\nC,").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        var e = Assert.Throws<ErpCsvException>(() => ErpOrderCsv.Parse(bytes));

        Assert.Equal((3, 3), (e.Line, e.Column));
    }

    [Fact]
    public void Mutated_order_files_are_read_or_refused_with_a_position()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- erp-csv`.
        var engine = ErpOrderCsvFuzzing.Engine(20261206);
        var read = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var (_, input) = engine.Next();
            if (ErpOrderCsvFuzzing.Check(input) is { } lines)
            {
                read++;
                Assert.All(lines, l => Assert.InRange(l.Quantity, 1, ErpOrderCsv.MaxQuantity));
            }
        }

        Assert.InRange(read, 1, 19_999);
    }
}
