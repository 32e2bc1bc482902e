using Millwright.Scheduling.Erp;

namespace Millwright.Fuzzing;

/// <summary>
/// `erp-csv`: the ERP production order CSV of <c>POST /api/v1/erp/orders</c>. Every mutated file must be read or
/// fail with <see cref="ErpCsvException"/> at a line and column of at least 1; anything else escapes as a finding.
/// </summary>
internal sealed class ErpOrderCsvFuzzing : IFuzzTarget
{
    public string Name => "erp-csv";

    public string Description => "ERP production order CSV (uploaded order files)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "read");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        "erp_order_number,item,quantity,due,priority\nPO-1,BRKT,12,2027-03-31,20\nPO-2,BRKT,3,2027-04-01T14:00:00+01:00,\n"u8.ToArray(),
        "\uFEFFdue,item,erp_order_number,quantity,site,customer\r\n2027-01-02T08:00Z,\"A,\"\"B\"\"\",\"4711\",1,Works,\"ACME\nGmbH\"\r\n\r\n"u8.ToArray(),
        "erp_order_number,item,quantity,due\n1,X,1000000,2027-12-31\n2,X,1,2027-12-31T23:59:59.1234567-05:30"u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>Reads the file; null when it was refused properly. Anything else escapes.</summary>
    public static IReadOnlyList<ErpOrderLine>? Check(byte[] input)
    {
        try
        {
            return ErpOrderCsv.Parse(input);
        }
        catch (ErpCsvException e) when (e.Line >= 1 && e.Column >= 1)
        {
            return null;
        }
    }
}
