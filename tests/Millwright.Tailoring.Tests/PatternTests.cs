using Millwright.Tailoring.Patterns;

namespace Millwright.Tailoring.Tests;

public sealed class PatternTests
{
    private const double Tolerance = 1.0; // mm: the bound for drafted lengths

    [Fact]
    public void Every_piece_for_every_tested_body_is_a_closed_simple_outline_inside_its_seam_allowance()
    {
        foreach (var (id, body) in PatternBodies.Men)
        {
            foreach (var piece in JacketDraft.Draft(body).Pieces.Concat(TrouserDraft.Draft(body).Pieces))
            {
                PieceChecks.WellFormed(piece, $"body {id}, {piece.Name}");
            }
        }
    }

    [Fact]
    public void Jacket_lines_are_the_body_plus_ease_within_a_millimetre()
    {
        var style = new JacketStyle();
        foreach (var (id, body) in PatternBodies.Men)
        {
            var jacket = JacketDraft.Draft(body, style);
            var (front, back, sleeve, collar) = (jacket["front"], jacket["back"], jacket["sleeve"], jacket["collar"]);
            var chestY = back.Point("side-chest").Y;
            var waistY = back.Point("side-waist").Y;
            Assert.Equal(chestY, front.Point("side-chest").Y, 9);

            // Half the body: back plus front (less the button extension beyond centre front).
            Within((body["chestcircumference"] + style.ChestEase) / 2, Measure.WidthAt(back.Net, chestY) + Measure.WidthAt(front.Net, chestY) - style.ButtonExtension, $"body {id} chest line");
            Within((body["waistcircumference"] + style.WaistEase) / 2, Measure.WidthAt(back.Net, waistY) + Measure.WidthAt(front.Net, waistY) - style.ButtonExtension, $"body {id} waist line");
            Within(body["sleeveoutseam"] + style.SleeveLengthEase, Measure.HeightAt(sleeve.Net, 0), $"body {id} sleeve length");

            var backArmhole = Measure.Along(back.Net, back.Point("side-chest"), back.Point("shoulder"));
            var frontArmhole = Measure.Along(front.Net, front.Point("side-chest"), front.Point("shoulder"));
            var crown = Measure.Along(sleeve.Net, sleeve.Point("back-underarm"), sleeve.Point("front-underarm"));
            Within(backArmhole + frontArmhole + style.CrownEase, crown, $"body {id} sleeve crown");

            Within(Measure.Along(back.Net, back.Point("shoulder"), back.Point("neck")), Measure.Along(front.Net, front.Point("shoulder"), front.Point("neck")), $"body {id} shoulder seams");
            var neckline = 2 * (Measure.Along(back.Net, back.Point("neck"), back.Point("cb-neck")) + Measure.Along(front.Net, front.Point("neck"), front.Point("cf-neck")));
            Within(neckline, Measure.Along(collar.Net, collar.Point("neck-left"), collar.Point("neck-right")), $"body {id} collar neck edge");
        }
    }

    [Theory]
    [InlineData(Sex.Male)]
    [InlineData(Sex.Female)]
    public void Trouser_lines_are_the_body_plus_ease_within_a_millimetre(Sex sex)
    {
        var style = new TrouserStyle();
        foreach (var (id, body) in sex == Sex.Male ? PatternBodies.Men : PatternBodies.Women)
        {
            var trousers = TrouserDraft.Draft(body, style);
            var (front, back) = (trousers["front"], trousers["back"]);
            var waist = Measure.Along(front.Net, front.Point("centre-waist"), front.Point("side-waist")) + Measure.Along(back.Net, back.Point("centre-waist"), back.Point("side-waist"));
            Within((body["waistcircumference"] + style.WaistEase) / 2, waist, $"body {id} waist");
            var hips = Measure.WidthAt(front.Net, front.Point("side-hip").Y) + Measure.WidthAt(back.Net, back.Point("side-hip").Y);
            Within((body["buttockcircumference"] + style.HipEase) / 2, hips, $"body {id} hip line");
            foreach (var leg in new[] { front, back })
            {
                Within(body["waistheightomphalion"] + style.OutseamEase, Measure.Along(leg.Net, leg.Point("side-waist"), leg.Point("side-hem")), $"body {id} {leg.Name} outseam");
                Within(body["crotchheight"] + style.InseamEase, Measure.Along(leg.Net, leg.Point("inside-hem"), leg.Point("crotch")), $"body {id} {leg.Name} inseam");
            }
        }
    }

    [Fact]
    public void A_larger_chest_drafts_a_wider_jacket_and_nothing_else_moves_the_chest_line()
    {
        var body = PatternBodies.Men[0].Body;
        var wider = new Measurements(body.Values.Select(kv => kv.Key == "chestcircumference" ? new KeyValuePair<string, double>(kv.Key, kv.Value + 80) : kv));
        var a = JacketDraft.Draft(body);
        var b = JacketDraft.Draft(wider);
        var y = a["back"].Point("side-chest").Y;
        Within(40, Measure.WidthAt(b["back"].Net, y) + Measure.WidthAt(b["front"].Net, y) - Measure.WidthAt(a["back"].Net, y) - Measure.WidthAt(a["front"].Net, y), "half of 80 mm more chest");
    }

    [Fact]
    public void A_body_missing_a_needed_measurement_is_refused_naming_it()
    {
        var body = new Measurements(PatternBodies.Men[0].Body.Values.Where(kv => kv.Key != "crotchheight"));
        var e = Assert.Throws<ArgumentException>(() => TrouserDraft.Draft(body));
        Assert.Contains("crotchheight", e.Message, StringComparison.Ordinal);
    }

    internal static void Within(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: drafted {actual:0.00} mm, body plus ease {expected:0.00} mm");

}
