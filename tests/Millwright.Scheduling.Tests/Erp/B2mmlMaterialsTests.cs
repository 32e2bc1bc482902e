using System.Text;
using Millwright.Scheduling.Erp;

namespace Millwright.Scheduling.Tests.Erp;

public sealed class B2mmlMaterialsTests
{
    private const string Open = "<MaterialInformation xmlns=\"http://www.mesa.org/xml/B2MML-V0600\">";

    private static byte[] Sample() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Erp", "samples", "material-information.xml"));

    [Fact]
    public void The_sample_master_data_reads_as_materials_with_descriptions_units_costs_and_classes()
    {
        var materials = B2mmlMaterials.Read(Sample());

        Assert.Equal(3, materials.Count);
        Assert.True(materials[0].SameAs(new ErpMaterial("BRKT", "Bracket, painted", "count", 4.75, ["FinishedGoods", "Brackets"])));
        Assert.True(materials[1].SameAs(new ErpMaterial("STEEL-S235", "Steel sheet S235, 2 mm", "kg", null, ["RawMaterial"])));
        Assert.True(materials[2].SameAs(new ErpMaterial("BLANK", "BLANK", null, null, [])));
        Assert.Equal("/MaterialInformation/MaterialDefinition[2]/MaterialDefinitionProperty/Value/ValueString", materials[1].Places[B2mmlMaterials.UnitProperty].Path);
    }

    [Fact]
    public void Written_master_data_reads_back_equal()
    {
        var materials = B2mmlMaterials.Read(Sample())
            .Select(m => m with { Unit = m.Unit ?? "count", UnitCost = m.UnitCost ?? 0.1 + 0.2 })
            .ToList();

        var again = B2mmlMaterials.Read(B2mmlMaterials.Write("inventory", materials, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(materials.Count, again.Count);
        Assert.All(materials.Zip(again), pair => Assert.True(pair.First.SameAs(pair.Second), $"{pair.First} != {pair.Second}"));
    }

    [Fact]
    public void A_single_material_definition_is_a_document_of_its_own()
    {
        var one = B2mmlMaterials.Read(Encoding.UTF8.GetBytes("<MaterialDefinition xmlns=\"http://www.mesa.org/xml/B2MML-V0600\"><ID>NUT-M8</ID><Description>Nut M8</Description></MaterialDefinition>"));

        Assert.True(Assert.Single(one).SameAs(new ErpMaterial("NUT-M8", "Nut M8", null, null, [])));
    }

    [Theory]
    [InlineData(Open + "<ID>X</ID></MaterialInformation>", "/MaterialInformation", "needs a MaterialDefinition")]
    [InlineData(Open + "<MaterialDefinition><Description>no id</Description></MaterialDefinition></MaterialInformation>", "/MaterialInformation/MaterialDefinition", "needs an ID")]
    [InlineData(Open + "<MaterialDefinition><ID>A</ID><MaterialClassID>C</MaterialClassID><Description>late</Description></MaterialDefinition></MaterialInformation>",
        "/MaterialInformation/MaterialDefinition/Description", "out of order")]
    [InlineData(Open + "<MaterialDefinition><ID>A</ID><MaterialDefinitionProperty><ID>UnitCost</ID><Value><ValueString>-1</ValueString></Value></MaterialDefinitionProperty></MaterialDefinition></MaterialInformation>",
        "/MaterialInformation/MaterialDefinition/MaterialDefinitionProperty/Value/ValueString", "outside 0..")]
    [InlineData(Open + "<MaterialDefinition><ID>A</ID><MaterialDefinitionProperty><ID>UnitOfMeasure</ID></MaterialDefinitionProperty></MaterialDefinition></MaterialInformation>",
        "/MaterialInformation/MaterialDefinition/MaterialDefinitionProperty", "exactly one Value")]
    [InlineData(Open + "<MaterialDefinition><ID>A</ID></MaterialDefinition><MaterialDefinition><ID>A</ID></MaterialDefinition></MaterialInformation>",
        "/MaterialInformation/MaterialDefinition[2]/ID", "appears again")]
    [InlineData(Open + "<MaterialDefinition><ID>  </ID></MaterialDefinition></MaterialInformation>", "/MaterialInformation/MaterialDefinition/ID", "is empty")]
    [InlineData("<ProductionSchedule xmlns=\"http://www.mesa.org/xml/B2MML-V0600\"/>", "/ProductionSchedule", "expected MaterialInformation or MaterialDefinition")]
    public void Malformed_master_data_is_refused_with_the_path_of_the_element_at_fault(string xml, string path, string problem)
    {
        var e = Assert.Throws<B2mmlException>(() => B2mmlMaterials.Read(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(path, e.Place.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }
}
