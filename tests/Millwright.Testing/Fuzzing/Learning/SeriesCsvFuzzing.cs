using System.Text;
using Millwright.Learning;

namespace Millwright.Fuzzing;

/// <summary>
/// `seriescsv`: the <c>timestamp,value</c> reader of <c>millwright anomaly nab</c>, and the detector behind it.
/// Every mutated file must parse or fail with <see cref="SeriesFormatException"/> at a line and column of at
/// least 1; whatever parses is fed to a detector, whose every score must lie in [0, 1].
/// </summary>
internal sealed class SeriesCsvFuzzing : IFuzzTarget
{
    public string Name => "seriescsv";

    public string Description => "timestamp,value series reader and the anomaly detector (NAB command input)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) >= 0, "parsed");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        "timestamp,value\n2014-04-01 00:00:00,20.5\n2014-04-01 00:05:00,21\n2014-04-01 00:10:00,19.75\n2014-04-01 00:10:00,NaN\n"u8.ToArray(),
        "timestamp,value\r\n2011-07-01T00:15:01Z,1e3\r\n2011-07-01T00:14:01Z,-0.5\r\n2011-07-09 00:15:01.000000,Infinity\r\n"u8.ToArray(),
        "\uFEFFtimestamp,value\n2014-04-01 00:00:00,0\n"u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed, [(16, 4), (36, 4)]);

    /// <summary>Parses and scores; the row count, or -1 when the reader refused the file properly. Anything else escapes.</summary>
    public static int Check(byte[] input)
    {
        List<SeriesRow> rows;
        try
        {
            rows = SeriesCsv.Parse(Encoding.UTF8.GetString(input));
        }
        catch (SeriesFormatException e) when (e.Line >= 1 && e.Column >= 1)
        {
            return -1;
        }

        var detector = new AnomalyDetector();
        foreach (var row in rows)
        {
            var score = detector.Observe(row.TimestampMs, row.Value).Score;
            if (!(score is >= 0 and <= 1))
            {
                throw new InvalidOperationException($"score {score} outside [0, 1]");
            }
        }

        return rows.Count;
    }
}
