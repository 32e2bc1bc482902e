using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>
/// Uploaded SVG designs and PNG/JPEG logos are untrusted bytes: mutated ones may only digitize or be refused with a design
/// problem (which the REST route turns into a 422 naming it). Same engines as <c>millwright-fuzz svg</c> and <c>logo</c>.
/// </summary>
public sealed class DesignFuzzTests
{
    [Fact]
    public void Mutated_designs_only_digitize_or_are_refused_with_a_design_problem()
    {
        var engine = SvgFuzzing.Engine(20261206);
        var digitized = 0;
        for (var i = 0; i < 1_500; i++)
        {
            if (SvgFuzzing.Check(engine.Next().Input))
            {
                digitized++;
            }
        }

        // The engine keeps enough documents whole for the digitizer, not only the XML parser, to be exercised.
        Assert.InRange(digitized, 50, 1_500);
    }

    [Fact]
    public void Mutated_logos_only_become_designs_or_are_refused_with_a_design_problem()
    {
        var engine = LogoFuzzing.Engine(20261206);
        var read = 0;
        for (var i = 0; i < 1_000; i++)
        {
            if (LogoFuzzing.Check(engine.Next().Input))
            {
                read++;
            }
        }

        Assert.InRange(read, 20, 1_000);
    }
}
