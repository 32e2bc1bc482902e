using System.Text.RegularExpressions;

namespace Millwright.Tests.Architecture;

/// <summary>
/// Reads src/Millwright's source files and fails, naming the file, line and reference, when a folder references
/// one it must not (see <see cref="FeatureLayers"/>). Source text rather than compiled types because a
/// forbidden <c>using</c> or a qualified name is what a reviewer sees and what a merge brings in.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    private static readonly string Source = FindSource();
    private static readonly string[] Features = [.. Directory.GetDirectories(Path.Combine(Source, "Features")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_feature_folder_has_a_layer()
    {
        Assert.DoesNotContain(Features, f => FeatureLayers.LayerOf(f) < 0);
    }

    [Fact]
    public void Feature_folders_reference_only_folders_of_lower_layers()
    {
        var used = new HashSet<(string, string)>();
        var forbidden = new List<string>();
        foreach (var feature in Features)
        {
            var layer = FeatureLayers.LayerOf(feature);
            foreach (var (file, line, target) in References(Path.Combine(Source, "Features", feature), sibling: true))
            {
                if (target == feature || FeatureLayers.LayerOf(target) is var other && other >= 0 && other < layer)
                {
                    continue;
                }

                if (FeatureLayers.Waivers.ContainsKey((feature, target)))
                {
                    used.Add((feature, target));
                    continue;
                }

                forbidden.Add($"{file}:{line} references Features/{target}, which {feature} (layer {layer}) must not: only lower layers");
            }
        }

        Assert.True(forbidden.Count == 0, string.Join(Environment.NewLine, forbidden));
        Assert.Empty(FeatureLayers.Waivers.Keys.Where(w => !used.Contains(w)).Select(w => $"waiver {w.From} -> {w.To} is no longer needed: remove it"));
    }

    [Theory]
    [InlineData("Messages")]
    [InlineData("Api")]
    [InlineData("Security")]
    public void Shared_folders_reference_no_feature(string folder)
    {
        var forbidden = References(Path.Combine(Source, folder), sibling: false)
            .Select(r => $"{r.File}:{r.Line} references Features/{r.Target}; {folder} is shared and must not know features");

        Assert.Empty(forbidden);
    }

    [Fact]
    public void The_scanner_finds_usings_and_qualified_names_but_not_comments()
    {
        var text = """
            using Millwright.Features.States;
            // Live.LiveFeed in a comment
            var x = Alarms.AlarmEngine.MeterName; var y = vocabulary.States.Count;
            """;

        Assert.Equal(["States", "Alarms"], Scan(text, sibling: true).Select(r => r.Target));
    }

    private static IEnumerable<(string File, int Line, string Target)> References(string folder, bool sibling)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(Source))!, path).Replace('\\', '/');
            foreach (var (line, target) in Scan(File.ReadAllText(path), sibling))
            {
                yield return (relative, line, target);
            }
        }
    }

    /// <summary>
    /// Feature names used as namespaces: <c>Millwright.Features.X</c>, <c>Features.X.</c>, and, inside a feature
    /// (whose namespace makes siblings resolvable by their short name), <c>X.Type</c> not preceded by a dot.
    /// </summary>
    private static IEnumerable<(int Line, string Target)> Scan(string text, bool sibling)
    {
        var lines = text.Split('\n');
        var qualified = new Regex(@"(?<![\w.])(" + string.Join('|', Features) + @")\.[A-Z]", RegexOptions.CultureInvariant);
        for (var i = 0; i < lines.Length; i++)
        {
            var code = Comment().Replace(lines[i], "");
            var found = new List<string>();
            found.AddRange(Namespace().Matches(code).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value));
            if (sibling)
            {
                found.AddRange(qualified.Matches(code).Select(m => m.Groups[1].Value));
            }

            foreach (var target in found.Distinct(StringComparer.Ordinal))
            {
                yield return (i + 1, target);
            }
        }
    }

    private static string FindSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Millwright");
            if (File.Exists(Path.Combine(candidate, "Millwright.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/Millwright not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(^|\s)//.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bMillwright\.Features\.(\w+)|(?<![\w.])Features\.(\w+)\.")]
    private static partial Regex Namespace();
}
