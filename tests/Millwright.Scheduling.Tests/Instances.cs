using Millwright.Scheduling.Model;
using Millwright.Scheduling.Parsing;

namespace Millwright.Scheduling.Tests;

/// <summary>Benchmark instances copied next to the tests (JSPLIB files, see ../shared/benchmarks/jobshop).</summary>
internal static class Instances
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "instances", name + ".txt");

    /// <summary>Flexible instances (FJSPLib files, see ../shared/benchmarks/fjsp).</summary>
    public static string FlexiblePath(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "flexible", name + ".txt");

    public static ShopInstance LoadFlexible(string name) => FlexibleJobShopFile.Parse(File.ReadAllBytes(FlexiblePath(name)), name);

    public static ShopInstance Load(string name) => JobShopFile.Parse(File.ReadAllBytes(Path(name)), name);

    public static IEnumerable<string> Names => Directory.GetFiles(System.IO.Path.Combine(AppContext.BaseDirectory, "instances"), "*.txt")
        .Select(System.IO.Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;
}
