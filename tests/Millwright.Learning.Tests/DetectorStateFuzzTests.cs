using Millwright.Fuzzing;

namespace Millwright.Learning.Tests;

/// <summary>Saved detector states come back from the database: mutated ones restore and score within [0, 1], or are refused.</summary>
public sealed class DetectorStateFuzzTests
{
    private const int Cases = 3_000;

    [Fact]
    public void Mutated_detector_states_restore_and_score_within_bounds_or_are_refused()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- detectorstate`.
        var engine = DetectorStateFuzzing.Engine(20261207);
        var restored = 0;
        for (var i = 0; i < Cases; i++)
        {
            if (DetectorStateFuzzing.Check(engine.Next().Input))
            {
                restored++;
            }
        }

        Assert.InRange(restored, 1, Cases - 1);
    }
}
