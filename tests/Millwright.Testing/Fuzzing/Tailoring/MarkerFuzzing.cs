using System.Text;
using Millwright.Simulator.Jobs;

namespace Millwright.Fuzzing;

/// <summary>
/// `c2m-marker`: the virtual cutter's reader of a made-to-measure marker (<c>millwright-marker/1</c> JSON, fetched
/// from the platform with the DXF it must match). Every mutated marker must read or fail with
/// <see cref="MarkerFormatException"/>; one that reads has 1 to <see cref="MarkerReader.MaxPieces"/> pieces, each
/// named and with a positive, bounded cut length, and as many as the DXF places.
/// </summary>
internal sealed class MarkerFuzzing : IFuzzTarget
{
    public string Name => "c2m-marker";

    public string Description => "made-to-measure marker reader (JSON against its DXF)";

    /// <summary>The DXF every case is checked against: three pieces placed, as the seeds list.</summary>
    private static readonly byte[] Dxf = Encoding.UTF8.GetBytes(
        "0\nSECTION\n2\nENTITIES\n" + string.Concat(Enumerable.Repeat("0\nINSERT\n8\n1\n2\nP\n10\n0\n20\n0\n", 3)) + "0\nENDSEC\n0\nEOF\n");

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "read");

    /// <summary>Markers as the platform writes them (every field, pieces with placement), and a minimal one.</summary>
    public static IReadOnlyList<byte[]> Seeds() =>
    [
        Encoding.UTF8.GetBytes(
            """
            {"format":"millwright-marker/1","garment":"jacket","widthMm":1500,"lengthMm":1569.0,"efficiency":0.6051,
             "pieces":[{"piece":"back","copy":1,"mirror":false,"rotation":0,"x":0,"y":2,"cutLengthMm":2411.7},
                       {"piece":"back","copy":2,"mirror":true,"rotation":180,"x":612,"y":0,"cutLengthMm":2411.7},
                       {"piece":"sleeve","copy":1,"mirror":false,"rotation":0,"x":1040,"y":744,"cutLengthMm":1873.25}]}
            """),
        Encoding.UTF8.GetBytes("""{"format":"millwright-marker/1","widthMm":1400,"lengthMm":1e3,"pieces":[{"piece":"a","cutLengthMm":1},{"piece":"b","cutLengthMm":2},{"piece":"c","cutLengthMm":3}]}"""),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed, new MutationOptions
    {
        InterestingBytes = [(byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'-', (byte)'e', (byte)'0', (byte)'9', 0x00, 0xFF],
    });

    /// <summary>Reads; returns the plan, or null when the reader refused it properly. Anything else escapes.</summary>
    public static CutPlan? Check(byte[] input)
    {
        CutPlan plan;
        try
        {
            plan = MarkerReader.Read(input, Dxf);
        }
        catch (MarkerFormatException)
        {
            return null;
        }

        if (plan.Pieces.Count != MarkerReader.CountInserts(Dxf)
            || plan.Pieces.Any(p => p.Name.Length is 0 or > 64 || !(p.CutLengthMm > 0 && p.CutLengthMm <= MarkerReader.MaxLengthMm)))
        {
            throw new InvalidOperationException("a marker that read has a piece the cutter cannot cut");
        }

        return plan;
    }
}
