using Millwright.Design;
using Millwright.Design.Parameters;

namespace Millwright.Tests.Design;

/// <summary>Units, formulas and constraints of design parameters, evaluated by the sheet without a server.</summary>
public sealed class ParameterSheetTests
{
    private static ParameterRef P(string node, string name) => new(node, DesignFields.ParameterPrefix + name);

    private static ParameterRef C(string node, string name) => new(node, DesignFields.ConstraintPrefix + name);

    [Theory]
    [InlineData("mm", 1e-3, "m")]
    [InlineData("kg/m3", 1, "kg/m3")]
    [InlineData("N.m", 1, "kg.m2/s2")]
    [InlineData("m/s2", 1, "m/s2")]
    [InlineData("kWh", 3.6e6, "kg.m2/s2")]
    [InlineData("1/min", 1.0 / 60, "1/s")]
    [InlineData("MPa", 1e6, "kg/m.s2")]
    [InlineData("g", 1e-3, "kg")]
    [InlineData("mm^2", 1e-6, "m2")]
    public void Units_are_read_with_their_factor_and_dimension(string symbol, double factor, string dimension)
    {
        var unit = Unit.Parse(symbol);
        Assert.Equal(factor, unit.Factor, 1e-12 * Math.Max(1, factor));
        Assert.Equal(dimension, unit.Dimension.ToString());
    }

    [Theory]
    [InlineData("°C")]
    [InlineData("furlong")]
    [InlineData("m/")]
    [InlineData("m^99")]
    public void Unknown_or_malformed_units_are_refused(string symbol) =>
        Assert.Throws<FormatException>(() => Unit.Parse(symbol));

    [Fact]
    public void A_formula_computes_from_other_parameters_in_their_units_and_follows_their_changes()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("plate", "length"), "1.2 m");
        sheet.Set(P("plate", "width"), "400 mm");
        sheet.Set(P("plate", "thickness"), "5 mm");
        sheet.Set(P("plate", "area"), "= length * width [mm2]");
        sheet.Set(P("plate", "mass"), "= area * thickness * 7850 kg/m3 [kg]");
        sheet.Set(P("frame", "load"), "= plate.mass * 9.81 m/s2 [N]");
        Assert.Equal(("480000", "mm2"), sheet[P("plate", "area")]!.Shown);
        Assert.Equal(("18.84", "kg"), sheet[P("plate", "mass")]!.Shown);
        Assert.Equal(("184.82", "N"), sheet[P("frame", "load")]!.Shown);

        // A change of one input recomputes exactly what depends on it, and says so.
        var changed = sheet.Set(P("plate", "width"), "500 mm");
        Assert.Equal(["frame.load", "plate.area", "plate.mass", "plate.width"], changed.Select(c => c.Ref.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(("23.55", "kg"), sheet[P("plate", "mass")]!.Shown);
        Assert.Empty(sheet.Set(P("plate", "width"), "500 mm"));
    }

    [Fact]
    public void A_sum_keeps_its_inputs_unit_and_an_undeclared_product_is_shown_in_SI_units()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("n", "a"), "20 mm");
        sheet.Set(P("n", "b"), "= a + 0.5 cm");
        sheet.Set(P("n", "c"), "= a * a");
        sheet.Set(P("n", "ratio"), "= b / a");
        sheet.Set(P("n", "edge"), "= sqrt(c) * 2");
        Assert.Equal(("25", "mm"), sheet[P("n", "b")]!.Shown);
        Assert.Equal(("0.0004", "m2"), sheet[P("n", "c")]!.Shown);
        Assert.Equal(("1.25", ""), sheet[P("n", "ratio")]!.Shown);
        Assert.Equal(("0.04", "m"), sheet[P("n", "edge")]!.Shown);
    }

    [Fact]
    public void A_unit_mismatch_is_an_error_and_a_trial_refuses_it_naming_the_units()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("shaft", "length"), "300 mm");
        sheet.Set(P("shaft", "mass"), "2 kg");
        var refusal = sheet.Trial(P("shaft", "wrong"), "= length + mass");
        Assert.NotNull(refusal);
        Assert.Contains("unit mismatch", refusal, StringComparison.Ordinal);
        Assert.Contains("mm", refusal, StringComparison.Ordinal);
        Assert.Null(sheet[P("shaft", "wrong")]);
        Assert.Contains("is not kg", sheet.Trial(P("shaft", "x"), "= length * 2 [kg]"), StringComparison.Ordinal);
        Assert.Null(sheet.Trial(P("shaft", "x"), "= length * 2 [cm]"));
    }

    [Fact]
    public void A_cycle_is_refused_with_its_path_and_the_sheet_is_left_as_it_was()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("a", "x"), "10 mm");
        sheet.Set(P("b", "y"), "= a.x * 2");
        sheet.Set(P("c", "z"), "= b.y + 1 mm");
        var refusal = sheet.Trial(P("a", "x"), "= c.z / 2");
        Assert.Equal("cycle: a.x → c.z → b.y → a.x", refusal);
        Assert.Equal(("21", "mm"), sheet[P("c", "z")]!.Shown);

        // A sheet built from stored fields that do form a cycle flags it rather than failing.
        sheet.Set(P("a", "x"), "= c.z / 2");
        Assert.StartsWith("cycle:", sheet[P("a", "x")]!.Error, StringComparison.Ordinal);
        Assert.NotNull(sheet[P("c", "z")]!.Error);
        sheet.Set(P("a", "x"), "3 mm");
        Assert.Equal(("7", "mm"), sheet[P("c", "z")]!.Shown);
    }

    [Fact]
    public void Removing_or_breaking_a_parameter_others_use_is_refused_and_a_missing_reference_is_named()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("a", "x"), "10 mm");
        sheet.Set(P("a", "y"), "= x * 3 + 1 mm");
        Assert.Equal("a.y would break: there is no parameter a.x", sheet.Trial(P("a", "x"), null));
        Assert.Contains("a.y would break", sheet.Trial(P("a", "x"), "4 kg")!, StringComparison.Ordinal);
        Assert.Equal("there is no parameter a.nothing", sheet.Trial(P("a", "z"), "= nothing + 1"));
        Assert.Null(sheet.Trial(P("a", "x"), "12 mm"));
        Assert.Equal(("31", "mm"), sheet[P("a", "y")]!.Shown);
    }

    [Fact]
    public void A_constraint_is_flagged_when_violated_and_holds_again_when_fixed()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("bolt", "length"), "40 mm");
        sheet.Set(P("plate", "thickness"), "30 mm");
        sheet.Set(C("bolt", "reaches"), "length >= plate.thickness + 15 mm");
        Assert.False(sheet[C("bolt", "reaches")]!.Holds);
        var changed = sheet.Set(P("bolt", "length"), "45 mm");
        Assert.Contains(changed, r => r.Ref == C("bolt", "reaches") && r.Holds == true);
        Assert.Contains("unit mismatch", sheet.Trial(C("bolt", "bad"), "length < 3 kg"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("= 2 *")]
    [InlineData("= (1 mm")]
    [InlineData("12 parsecs")]
    [InlineData("= sqrt(1 m3)")]
    [InlineData("= foo(1)")]
    [InlineData("= 1 mm [m")]
    [InlineData("abc")]
    public void Malformed_values_are_refused_by_the_field_check(string value) =>
        Assert.NotNull(DesignFields.Check("param.x", value) ?? new ParameterSheet().Trial(P("n", "x"), value));

    [Fact]
    public void A_chain_ten_thousand_long_is_evaluated_without_deep_recursion()
    {
        var sheet = new ParameterSheet();
        sheet.Set(P("n", "p0"), "1 mm");
        for (var i = 1; i < 10_000; i++)
        {
            sheet.Set(P("n", $"p{i}"), $"= p{i - 1} + 1 mm");
        }

        Assert.Equal(("10000", "mm"), sheet[P("n", "p9999")]!.Shown);
        Assert.Equal(10_000, sheet.Set(P("n", "p0"), "2 mm").Count);
        Assert.Equal(("10001", "mm"), sheet[P("n", "p9999")]!.Shown);
    }
}
