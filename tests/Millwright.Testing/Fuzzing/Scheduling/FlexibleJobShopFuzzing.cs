using System.Reflection;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;

namespace Millwright.Fuzzing;

/// <summary>
/// `fjsp`: the flexible job-shop file reader and the format recognition in front of it. Every mutated file must be
/// read (as either format) or fail with <see cref="InstanceFormatException"/> at a line and column of at least 1.
/// </summary>
internal sealed class FlexibleJobShopFuzzing : IFuzzTarget
{
    public string Name => "fjsp";

    public string Description => "flexible job-shop instance reader and format recognition (uploaded instances)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "read");

    /// <summary>The flexible instances of the scheduling tests (embedded in this assembly) and small hand-made files.</summary>
    public static IReadOnlyList<byte[]> Seeds()
    {
        var assembly = typeof(FlexibleJobShopFuzzing).Assembly;
        var seeds = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("flexible/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n))
            .ToList();
        seeds.Add("2 2 1.5\n2 1 1 3 2 1 4 2 2\n1\t1 2 5\n\n"u8.ToArray());
        seeds.Add("1 1\n1 1 1 5\n"u8.ToArray());
        return seeds;
    }

    /// <summary>The first bytes are the header's counts: the fields worth lying about.</summary>
    public static MutationEngine Engine(int seed) => new(Seeds(), seed, [(0, 1), (1, 1), (2, 1), (3, 1)]);

    /// <summary>Reads with recognition; returns the instance, or null when it was refused properly. Anything else escapes.</summary>
    public static ShopInstance? Check(byte[] input)
    {
        try
        {
            return InstanceFile.Parse(input).Instance;
        }
        catch (InstanceFormatException e) when (e.Line >= 1 && e.Column >= 1)
        {
            return null;
        }
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
