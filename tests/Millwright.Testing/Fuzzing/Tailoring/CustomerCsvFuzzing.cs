using System.Text;
using Millwright.Tailoring;

namespace Millwright.Fuzzing;

/// <summary>
/// `c2m-csv`: the customer measurement CSV of <c>millwright c2m infer</c>. Every mutated file must parse or fail
/// with <see cref="CsvFormatException"/> at a line and column of at least 1; a parsed file's rows then go through
/// the plausibility check and, when accepted, inference, which must not throw either.
/// </summary>
internal sealed class CustomerCsvFuzzing : IFuzzTarget
{
    private static readonly Lazy<BodyInference> Inference = new(() => new BodyInference(PopulationModel.Fit(SyntheticSample())));

    public string Name => "c2m-csv";

    public string Description => "customer measurement CSV of c2m infer (uploaded files)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "parsed");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        "id,stature,weightkg,chestcircumference,waistcircumference\n1,1780,820,1040,930\n2,1650,,980,\n"u8.ToArray(),
        "\uFEFFid,Stature\r\n\"a,\"\"b\"\"\",1700\r\n\r\nc,1.7e3\r\n"u8.ToArray(),
        "id,waistcircumference,stature\n7,-3,69\n8,950,1800\n"u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>Parses, checks and infers; null when the file was refused properly. Anything else escapes.</summary>
    public static IReadOnlyList<CustomerRow>? Check(byte[] input)
    {
        IReadOnlyList<CustomerRow> rows;
        try
        {
            rows = CustomerCsv.Parse(input, Inference.Value.Model);
        }
        catch (CsvFormatException e) when (e.Line >= 1 && e.Column >= 1)
        {
            return null;
        }

        var plausibility = new Plausibility(Inference.Value);
        foreach (var row in rows.Take(20))
        {
            if (plausibility.Check(row.Given).Accepted)
            {
                var body = Inference.Value.Infer(row.Given);
                if (body.Values.Any(v => !double.IsFinite(v)))
                {
                    throw new InvalidOperationException($"inference gave a non-finite value for {Encoding.UTF8.GetString(input)}");
                }
            }
        }

        return rows;
    }

    /// <summary>A small fixed population with the four key columns, so the target needs no data files.</summary>
    private static BodySample SyntheticSample()
    {
        var random = new Random(5);
        var rows = new List<double[]>();
        for (var i = 0; i < 400; i++)
        {
            var size = random.NextDouble();
            rows.Add([1600 + 300 * size + random.Next(60), 600 + 400 * size + random.Next(200), 900 + 200 * size + random.Next(80), 800 + 250 * size + random.Next(100)]);
        }

        return new BodySample(Sex.Male, [.. Ansur.KeyMeasurements], rows, [.. Enumerable.Range(1, rows.Count)], [.. rows.Select((_, i) => 20.0 + i % 30)]);
    }
}
