using Millwright.Embroidery.Needles;
using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Tests.Needles;

public sealed class NeedleMapperTests
{
    private static readonly ThreadColor Red = ThreadColor.Parse("#c62828");
    private static readonly ThreadColor Blue = ThreadColor.Parse("#1f3a93");
    private static readonly ThreadColor Green = ThreadColor.Parse("#2e7d32");
    private static readonly ThreadColor Black = ThreadColor.Parse("#212121");
    private static readonly ThreadColor Yellow = ThreadColor.Parse("#f9a825");

    [Fact]
    public void Colours_on_the_needles_are_sewn_from_those_needles_without_waiting()
    {
        var plan = NeedleMapper.Map([Blue, Red, Blue], [Red, null, Green, Blue]);

        Assert.Equal([4, 1, 4], plan.Steps.Select(s => s.Needle));
        Assert.Equal(0, plan.Rethreads);
        Assert.Equal([Red, null, Green, Blue], plan.NeedlesAfter);
    }

    [Fact]
    public void A_colour_within_the_tolerance_takes_the_nearest_needle()
    {
        // A logo's clustered red is a few units off the spool's; a darker red further off is not chosen over it.
        var plan = NeedleMapper.Map([ThreadColor.Parse("#c42a2a")], [ThreadColor.Parse("#8e1010"), Red]);

        Assert.Equal(2, plan.Steps.Single().Needle);
        Assert.False(plan.Steps.Single().Rethread);
        Assert.True(NeedleMapper.DeltaE(ThreadColor.Parse("#c42a2a"), Red) < NeedleMapper.MaxDeltaE);
        Assert.True(NeedleMapper.DeltaE(Red, Yellow) > NeedleMapper.MaxDeltaE);
    }

    [Fact]
    public void A_colour_no_needle_holds_is_threaded_by_the_operator_on_an_empty_needle_first()
    {
        var plan = NeedleMapper.Map([Red, Yellow, Yellow], [Red, null, Green]);

        Assert.Equal([new NeedleStep(0, Red, 1, false), new NeedleStep(1, Yellow, 2, true), new NeedleStep(2, Yellow, 2, false)], plan.Steps);
        Assert.Equal(1, plan.Rethreads);
        Assert.Equal([Red, Yellow, Green], plan.NeedlesAfter);
    }

    [Fact]
    public void With_every_needle_threaded_the_one_needed_again_latest_is_rethreaded()
    {
        // Red is needed again at block 3, green never: green's needle takes yellow.
        var plan = NeedleMapper.Map([Blue, Yellow, Blue, Red], [Red, Green, Blue]);

        Assert.Equal(2, plan.Steps[1].Needle);
        Assert.True(plan.Steps[1].Rethread);
        Assert.Equal([3, 2, 3, 1], plan.Steps.Select(s => s.Needle));
        Assert.Equal(1, plan.Rethreads);
    }

    [Fact]
    public void More_colours_than_needles_wait_for_the_operator_on_every_piece()
    {
        var threads = new[] { Red, Blue, Green, Black, Yellow };
        var first = NeedleMapper.Map(threads, [null, null, null]);
        var repeat = NeedleMapper.Map(threads, first.NeedlesAfter);

        Assert.Equal(5, first.Rethreads);
        Assert.True(repeat.Rethreads >= 2, $"{repeat.Rethreads} rethreads on the second piece");
        Assert.All(first.Steps.Concat(repeat.Steps), s => Assert.InRange(s.Needle, 1, 3));
    }

    [Fact]
    public void Every_block_is_sewn_with_a_needle_holding_its_colour_when_it_is_reached()
    {
        var random = new Random(15);
        for (var round = 0; round < 200; round++)
        {
            var palette = Enumerable.Range(0, random.Next(1, 9)).Select(_ => new ThreadColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
            var threads = Enumerable.Range(0, random.Next(1, 16)).Select(_ => palette[random.Next(palette.Length)]).ToArray();
            var needles = Enumerable.Range(0, random.Next(1, 13)).Select(_ => random.Next(3) == 0 ? (ThreadColor?)null : palette[random.Next(palette.Length)]).ToArray();
            var plan = NeedleMapper.Map(threads, needles);

            var setup = needles.ToArray();
            foreach (var step in plan.Steps)
            {
                if (step.Rethread)
                {
                    setup[step.Needle - 1] = step.Thread;
                }

                Assert.True(NeedleMapper.DeltaE(setup[step.Needle - 1]!.Value, step.Thread) <= NeedleMapper.MaxDeltaE);
            }

            Assert.Equal(setup, plan.NeedlesAfter);
        }
    }

    [Fact]
    public void A_machine_without_needles_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NeedleMapper.Map([Red], []));
    }
}
