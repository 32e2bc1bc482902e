using System.Numerics;

namespace Millwright.Features.Sharing;

/// <summary>
/// The market's active offers indexed for matching at scale (issue 16: 1,000 requests against 10,000 offers in
/// under a second): a bit set of offers per process, material and certification, so that a request walks only the
/// offers that run every process its steps need, and tests material and certifications by bit rather than by string;
/// and each offer's latitude, so that an offer farther north or south than the request's distance limit is
/// excluded without the great-circle formula (the distance along a meridian is a lower bound of the great-circle
/// one). The answer is the same as <see cref="Matcher.Match"/>'s over every offer: the same candidates in the same
/// order and the same exclusion counts (a property test holds the two together).
/// </summary>
internal sealed class MarketIndex
{
    private const double EarthRadiusKm = 6371.0;

    private readonly MarketOffer[] _offers;
    private readonly int _words;
    private readonly Dictionary<string, ulong[]> _byProcess = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong[]> _byMaterial = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong[]> _byCertification = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _perTenant = [];

    public MarketIndex(IEnumerable<MarketOffer> offers)
    {
        _offers = [.. offers];
        _words = (_offers.Length + 63) / 64;
        for (var i = 0; i < _offers.Length; i++)
        {
            var offer = _offers[i];
            _perTenant[offer.ProviderTenant] = _perTenant.GetValueOrDefault(offer.ProviderTenant) + 1;
            Mark(_byProcess, offer.Processes, i);
            Mark(_byMaterial, offer.MaterialPricePerKg.Keys, i);
            Mark(_byCertification, offer.Certifications, i);
        }
    }

    public int Count => _offers.Length;

    /// <summary>Screens, quotes (asking <paramref name="capacity"/> only for offers that pass the static constraints) and ranks.</summary>
    public RankResult Match(MarketRequest r, Func<MarketOffer, OfferCapacity> capacity, long now)
    {
        var considered = _offers.Length - _perTenant.GetValueOrDefault(r.BuyerTenant);
        var excluded = new Dictionary<string, int>(StringComparer.Ordinal);
        var feasible = new List<(MarketOffer, Quote)>();
        var material = _byMaterial.GetValueOrDefault(r.Material);
        var certifications = new List<ulong[]>();
        var certified = true;
        foreach (var name in r.Certifications)
        {
            if (_byCertification.TryGetValue(name, out var bits))
            {
                certifications.Add(bits);
            }
            else
            {
                certified = false;
            }
        }

        var latitudeLimit = r.MaxDistanceKm * (1 + 1e-9);
        var canRunAll = 0;
        var candidates = Candidates(r);
        for (var word = 0; word < candidates.Length; word++)
        {
            for (var bits = candidates[word]; bits != 0; bits &= bits - 1)
            {
                var i = (word * 64) + BitOperations.TrailingZeroCount(bits);
                var offer = _offers[i];
                if (offer.ProviderTenant == r.BuyerTenant)
                {
                    continue;
                }

                canRunAll++;
                var failed = Screen(r, offer, i, material, certified, certifications, latitudeLimit, out var distance);
                Quote? quote = null;
                if (failed is null)
                {
                    (quote, failed) = Matcher.QuoteFor(r, offer, capacity(offer), distance, now);
                }

                if (failed is not null)
                {
                    excluded[failed] = excluded.GetValueOrDefault(failed) + 1;
                }
                else
                {
                    feasible.Add((offer, quote!));
                }
            }
        }

        if (considered > canRunAll)
        {
            excluded[Constraint.Process] = considered - canRunAll;
        }

        return new RankResult(Matcher.Rank(feasible), excluded, considered);
    }

    /// <summary>The offers that run every process of the request's steps (all offers when it has none).</summary>
    private ulong[] Candidates(MarketRequest r)
    {
        var result = new ulong[_words];
        if (r.Steps.Count == 0)
        {
            Array.Fill(result, ulong.MaxValue);
            if (_offers.Length % 64 != 0)
            {
                result[^1] = (1UL << (_offers.Length % 64)) - 1;
            }

            return result;
        }

        for (var s = 0; s < r.Steps.Count; s++)
        {
            if (!_byProcess.TryGetValue(r.Steps[s].Process, out var bits))
            {
                return [];
            }

            for (var w = 0; w < _words; w++)
            {
                result[w] = s == 0 ? bits[w] : result[w] & bits[w];
            }
        }

        return result;
    }

    /// <summary><see cref="Matcher.Screen"/> after the process check, in the same order, by bit where it can.</summary>
    private static string? Screen(MarketRequest r, MarketOffer o, int i, ulong[]? material, bool certified, List<ulong[]> certifications, double latitudeLimit,
        out double distanceKm)
    {
        distanceKm = 0;
        if (material is null || !Has(material, i))
        {
            return Constraint.Material;
        }

        for (var d = 0; d < 3; d++)
        {
            if (r.SizeSorted[d] > o.EnvelopeSorted[d])
            {
                return Constraint.Envelope;
            }
        }

        if (o.ToleranceMm > r.ToleranceMm)
        {
            return Constraint.Tolerance;
        }

        if (!certified || certifications.Any(c => !Has(c, i)))
        {
            return Constraint.Certification;
        }

        // Farther apart in latitude alone than the limit: the great circle is no shorter, so the formula can wait.
        if (Math.Abs(o.Latitude - r.Latitude) * Math.PI / 180 * EarthRadiusKm > latitudeLimit)
        {
            return Constraint.Distance;
        }

        distanceKm = Geo.DistanceKm(r.Latitude, r.Longitude, o.Latitude, o.Longitude);
        return distanceKm > r.MaxDistanceKm ? Constraint.Distance : null;
    }

    private static bool Has(ulong[] bits, int i) => (bits[i >> 6] & (1UL << (i & 63))) != 0;

    private void Mark(Dictionary<string, ulong[]> index, IEnumerable<string> keys, int i)
    {
        foreach (var key in keys)
        {
            if (!index.TryGetValue(key, out var bits))
            {
                index[key] = bits = new ulong[_words];
            }

            bits[i >> 6] |= 1UL << (i & 63);
        }
    }
}
