using System.Reflection;
using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;

namespace Millwright.Fuzzing;

/// <summary>
/// `jobshop`: the job-shop instance file parser. Every mutated file must parse or fail with
/// <see cref="InstanceFormatException"/> at a line and column of at least 1.
/// </summary>
internal sealed class JobShopFuzzing : IFuzzTarget
{
    public string Name => "jobshop";

    public string Description => "job-shop instance file parser (uploaded scheduling instances)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "parsed");

    /// <summary>The benchmark instances of the scheduling tests (embedded in this assembly) and one tiny file.</summary>
    public static IReadOnlyList<byte[]> Seeds()
    {
        var assembly = typeof(JobShopFuzzing).Assembly;
        var seeds = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("instances/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n))
            .ToList();
        seeds.Add("2 2\n0 3 1 2\n1 4 0 1\n"u8.ToArray());
        return seeds;
    }

    /// <summary>The first bytes are the job and machine counts: the fields worth lying about.</summary>
    public static MutationEngine Engine(int seed) => new(Seeds(), seed, [(0, 1), (1, 1), (2, 1)]);

    /// <summary>Parses; returns the instance, or null when the parser refused it properly. Anything else escapes.</summary>
    public static ShopInstance? Check(byte[] input)
    {
        try
        {
            return JobShopFile.Parse(input);
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
