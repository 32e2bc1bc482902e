using System.Text;
using Millwright.Fleet;

namespace Millwright.Fuzzing;

/// <summary>
/// `aemp-feed`: another maker's ISO 15143-3 fleet snapshot that the importer polls. Every mutated document must
/// parse (each point a known tag with a finite value in range) or be refused with <see cref="FleetFormatException"/>.
/// </summary>
internal sealed class AempFeedFuzzing : IFuzzTarget
{
    private static readonly DateTimeOffset SampleTime = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> Tags = [.. AempFeedMapping.Elements.Values.SelectMany(c => c.Select(x => x.Tag))];

    public string Name => "aemp-feed";

    public string Description => "ISO 15143-3 (AEMP 2.0) fleet snapshots polled from other makers' feeds";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) is not null, "parsed");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        Encoding.UTF8.GetBytes(AempSamples.Iso(SampleTime)),
        Encoding.UTF8.GetBytes(AempSamples.Loose(SampleTime)),
        Encoding.UTF8.GetBytes(AempSamples.Page(SampleTime, 1, 3, "/Fleet/2")),
        Encoding.UTF8.GetBytes(AempSamples.Page(SampleTime, 2, 3, "https://aemp.example-oem.test/Fleet/3")),
        """<!DOCTYPE Fleet [<!ENTITY x "y">]><Fleet><Equipment>&x;</Equipment></Fleet>"""u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>Parses; null when refused properly. Anything else, or a parsed point breaking the contract, escapes.</summary>
    public static AempFeedSnapshot? Check(byte[] input)
    {
        AempFeedSnapshot snapshot;
        try
        {
            snapshot = AempFeedParser.Parse(input);
        }
        catch (FleetFormatException e) when (e.Errors.Count > 0)
        {
            return null;
        }

        foreach (var point in snapshot.Equipment.SelectMany(e => e.Points))
        {
            if (!Tags.Contains(point.Tag) || !double.IsFinite(point.Value) || (point.Tag == "latitude" && Math.Abs(point.Value) > 90))
            {
                throw new InvalidOperationException($"a parsed point breaks the contract: {point}");
            }
        }

        if (snapshot.Next is { } next && !Uri.TryCreate(next, UriKind.RelativeOrAbsolute, out _))
        {
            throw new InvalidOperationException($"a next link that is no URI was accepted: {next}");
        }

        return snapshot;
    }
}
