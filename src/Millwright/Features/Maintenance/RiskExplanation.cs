using System.Globalization;
using Millwright.Learning.Risk;

namespace Millwright.Features.Maintenance;

/// <summary>The risk in words a maintainer can act on: which tag, how far it has moved and how fast, against what, and by when to act.</summary>
internal static class RiskExplanation
{
    public const string NoIndicator =
        "This machine type has no tag that shows wear (vibration, clogged_nozzles, hydraulic_pressure or injection_pressure), so no failure risk is estimated.";

    public static string Learning(string tag, int learned, int needed) =>
        F($"Learning: {tag} is watched, but the risk needs {needed} breakdowns of this type with readings before them to learn at what level parts fail; {learned} so far.");

    public static string NewPart(string tag, DateTimeOffset? since, Degradation degradation) =>
        F($"New part{Since(since)}: {degradation.RunningHours:0.#} h of running so far, too few to know its healthy {tag} level; counted as new.");

    public static string Ok(DegradationIndicator indicator, RiskEstimate risk, DateTimeOffset? since, DateTimeOffset? maintainBy, double acceptable)
    {
        var (what, side, moving) = (indicator.Statistic == IndicatorStatistic.Spread ? $"The spread of {indicator.Tag}" : indicator.Tag,
            indicator.Direction > 0 ? "above" : "below", indicator.Direction > 0 ? "rising" : "falling");
        var d = risk.Degradation;
        var text = F($"{what} is {d.Excess:0.###} {side} this part's healthy level{Since(since)}")
            + (d.Rate > 0 ? F($" and {moving} {d.Rate:0.####} per running hour") : ", not moving")
            + F($"; parts of this type failed at {risk.Threshold.Median:0.###} {side} theirs (median of {risk.Threshold.Failures} breakdowns). ")
            + F($"Chance of failing: {risk.NextShift:0%} within the next shift, {risk.NextDay:0%} within the day.");
        return text + (maintainBy is { } by
            ? F($" Maintenance should start by {by:yyyy-MM-dd HH:mm} UTC to keep the chance of failing first under {acceptable:0%}.")
            : " No maintenance is needed on its account yet.");
    }

    /// <summary>The opportunistic renewal's advice while the machine is stopped anyway ("down" or "planned stop"), or nothing when it is not.</summary>
    public static string AtStop(string? stopped, bool? renew) => (stopped, renew) switch
    {
        ({ } state, true) => $" It is {(state == "down" ? "down for a repair" : "in a planned stop")} now: renew the part during this stop (cheaper than waiting for its own maintenance stop).",
        ({ } state, false) => $" It is {(state == "down" ? "down for a repair" : "in a planned stop")} now: the part can wait for a later stop.",
        _ => "",
    };

    private static string Since(DateTimeOffset? since) => since is { } s ? F($" (part fitted {s:yyyy-MM-dd HH:mm} UTC)") : " (part fitted before the stored history)";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
