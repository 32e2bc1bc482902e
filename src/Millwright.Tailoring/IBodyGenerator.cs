namespace Millwright.Tailoring;

/// <summary>A model that draws whole bodies: the population model, and the raw normal it is compared against.</summary>
internal interface IBodyGenerator
{
    /// <summary>Column names of a drawn body: the measurements, then age.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Draws one body into <paramref name="body"/>; <paramref name="scratch"/> holds at least 2 × Names.Count doubles.</summary>
    void Generate(ref Xoshiro rng, Span<double> scratch, Span<double> body);
}
