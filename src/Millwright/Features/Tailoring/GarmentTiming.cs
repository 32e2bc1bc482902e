using Millwright.Api;
using Millwright.Features.Production;

namespace Millwright.Features.Tailoring;

/// <summary>
/// Plan timing of a made-to-measure order (docs/made-to-measure.md, "Plan timing"): the cutting job takes the
/// marker's cut length at the knife speed and the sewing job the garment's seam length at the sewing speed plus a
/// handling time per piece, instead of the routing's fixed unit times, so a large jacket is planned longer than small
/// trousers. A job cuts when its capability starts with <c>cut</c> and sews when it starts with <c>sew</c>; other
/// jobs (finishing) keep the routing's time. The job's own time is at the default rates of
/// <see cref="TailoringOptions"/> (the same as the virtual factory's cutter and sewing stations); the planner times
/// it on each candidate machine at that machine's rates (<see cref="TailoringJobTimes"/>, <see cref="GarmentRates"/>).
/// </summary>
internal static class GarmentTiming
{
    public static async Task RetimeAsync(Session s, long orderId, PatternDraft.Drafted drafted, TailoringOptions options)
    {
        var jobs = (await ProductionStore.JobsOfAsync(s, [orderId])).GetValueOrDefault(orderId) ?? [];
        foreach (var job in jobs.Where(j => j.Status == JobStatus.Waiting))
        {
            if (UnitSeconds(job.Capability, drafted.CutLengthMm, drafted.SeamLengthMm, drafted.Pieces, GarmentRates.Defaults(options)) is { } seconds)
            {
                await ProductionStore.RetimeJobAsync(s, job.Id, job.SetupMs, Math.Max(1, (long)Math.Ceiling(seconds * 1000)));
            }
        }
    }

    /// <summary>The garment's time on a job of this capability; null when the routing's own time stands.</summary>
    public static double? UnitSeconds(string capability, double cutLengthMm, double seamLengthMm, int pieces, GarmentRates rates)
    {
        if (capability.StartsWith("cut", StringComparison.OrdinalIgnoreCase))
        {
            return cutLengthMm / rates.KnifeMmPerSecond;
        }

        if (capability.StartsWith("sew", StringComparison.OrdinalIgnoreCase))
        {
            return (seamLengthMm / rates.SewingMmPerSecond) + (pieces * rates.HandlingSecondsPerPiece);
        }

        return null;
    }
}
