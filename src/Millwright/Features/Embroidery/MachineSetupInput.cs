using System.Text.RegularExpressions;
using Millwright.Api;
using Millwright.Embroidery.Needles;

namespace Millwright.Features.Embroidery;

/// <summary>What an operator records of a machine: speed and stop times (defaults when left out) and its needles' threads.</summary>
internal sealed partial record MachineSetupInput(int? StitchesPerMinute, double? TrimSeconds, double? ColourChangeSeconds, double? RethreadSeconds, List<string?>? Needles, int? Heads = null)
{
    /// <summary>The most heads a machine may have (the largest multi-head machines sew 56 pieces at once).</summary>
    public const int MaxHeads = 56;

    public MachineSetup Validate(long machineId, EmbroideryOptions o)
    {
        if (StitchesPerMinute is < 100 or > 2000)
        {
            throw ApiProblem.Invalid("stitchesPerMinute", "must be from 100 to 2000");
        }

        foreach (var (name, value) in new[] { ("trimSeconds", TrimSeconds), ("colourChangeSeconds", ColourChangeSeconds), ("rethreadSeconds", RethreadSeconds) })
        {
            if (value is { } v && (!double.IsFinite(v) || v < 0 || v > 3600))
            {
                throw ApiProblem.Invalid(name, "must be from 0 to 3600 seconds");
            }
        }

        if (Heads is < 1 or > MaxHeads)
        {
            throw ApiProblem.Invalid("heads", $"must be from 1 to {MaxHeads}");
        }

        if (Needles is null || Needles.Count is 0 || Needles.Count > NeedleMapper.MaxNeedles)
        {
            throw ApiProblem.Invalid("needles", $"one entry per needle, 1 to {NeedleMapper.MaxNeedles}: \"#rrggbb\" or null for a needle without thread");
        }

        if (Needles.FirstOrDefault(n => n is not null && !Hex().IsMatch(n)) is { } bad)
        {
            throw ApiProblem.Invalid("needles", $"'{(bad.Length > 20 ? bad[..20] : bad)}' is not a #rrggbb colour");
        }

        return new MachineSetup(machineId, true, StitchesPerMinute ?? o.StitchesPerMinute, TrimSeconds ?? o.TrimSeconds, ColourChangeSeconds ?? o.ColourChangeSeconds,
            RethreadSeconds ?? o.RethreadSeconds, [.. Needles.Select(n => n?.ToLowerInvariant())], null, Heads ?? 1);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Hex();
}
