using Millwright.Api;
using Millwright.Learning;

namespace Millwright.Features.Anomalies;

/// <summary>An operator's verdict on one anomaly, and the series discounts it moves (<see cref="AnomalyJudge.AfterFeedback"/>).</summary>
internal static class AnomalyFeedback
{
    private static readonly string[] Columns = ["discount_jump", "discount_level", "discount_pattern", "discount_variance", "discount_sustained"];

    public static async Task<(AnomalyRow Row, double[] Discounts)> MarkAsync(Session s, long machineId, long id, FeedbackInput input)
    {
        var verdict = input.Verdict;
        if (verdict is null || !AnomalyVocabulary.Marks.Contains(verdict))
        {
            throw ApiProblem.Invalid("verdict", "must be 'false' (not an anomaly worth an alarm) or 'true' (a real one)");
        }

        if (input.Comment is { Length: > 500 })
        {
            throw ApiProblem.Invalid("comment", "at most 500 characters");
        }

        var row = await AnomalyStore.FindAsync(s, machineId, id) ?? throw ApiProblem.NotFound("anomaly", id);
        if (row.Feedback is not null)
        {
            throw ApiProblem.Conflict($"Anomaly {id} was already marked {row.Feedback} by {row.FeedbackBy}.");
        }

        var changed = await s.ExecuteAsync(
            "UPDATE anomalies SET feedback = @verdict, feedback_by = @Actor, feedback_at = @Now WHERE tenant_id = @Tenant AND id = @id AND feedback IS NULL",
            new { verdict, s.Caller.Actor, s.Now, s.Tenant, id });
        if (changed == 0)
        {
            throw ApiProblem.Conflict($"Anomaly {id} was marked while this request ran; read it again.");
        }

        var series = (await s.QueryAsync<AnomalyStore.SeriesRow>(
            "SELECT id, tag, discount_jump, discount_level, discount_pattern, discount_variance, discount_sustained FROM anomaly_series WHERE tenant_id = @Tenant AND id = @SeriesId",
            new { s.Tenant, row.SeriesId }))[0];
        var discounts = series.Discounts;
        var cause = Enum.GetValues<AnomalyCause>().FirstOrDefault(c => AnomalyVocabulary.Name(c) == row.Cause);
        var falseAlarm = verdict == AnomalyVocabulary.FalseMark;
        for (var i = 0; i < discounts.Length; i++)
        {
            // One physical event can be attributed to another view next time (once the detector has learned a
            // spike, its repeat may stand out as a level or a run instead), so the marked kind moves fully and
            // the others by half: the series as a whole becomes less (or more) sensitive.
            discounts[i] = AnomalyJudge.AfterFeedback(discounts[i], row.RawScore, falseAlarm, marked: cause != AnomalyCause.None && i == AnomalyJudge.Index(cause));
        }

        await s.ExecuteAsync(
            $"""
            UPDATE anomaly_series SET {string.Join(", ", Columns.Select((c, i) => $"{c} = @d{i}"))},
                {(falseAlarm ? "false_marks = false_marks" : "true_marks = true_marks")} + 1
            WHERE tenant_id = @Tenant AND id = @SeriesId
            """,
            new { d0 = discounts[0], d1 = discounts[1], d2 = discounts[2], d3 = discounts[3], d4 = discounts[4], s.Tenant, row.SeriesId });

        await s.AuditAsync("feedback", "anomaly", id, $"marked the {row.Cause} anomaly of '{row.Tag}' {verdict}" + (input.Comment is { } c ? $": {c}" : ""));
        return ((await AnomalyStore.FindAsync(s, machineId, id))!, discounts);
    }
}
