using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using static Millwright.Scheduling.Erp.B2mmlChild;
using static Millwright.Scheduling.Erp.B2mmlXml;

namespace Millwright.Scheduling.Erp;

/// <summary>
/// Material master data as B2MML (V0600): a MaterialInformation holding MaterialDefinitions, or one
/// MaterialDefinition alone. Each definition's ID is the item's SKU, its first Description the item's name, its
/// MaterialClassIDs the classes, and two MaterialDefinitionProperties carry the unit (<c>UnitOfMeasure</c>) and
/// the standard cost (<c>UnitCost</c>) as their ValueString; other properties are accepted and not kept. The same
/// shape is written back out, so what was imported reads back equal.
/// </summary>
public static class B2mmlMaterials
{
    public const string Information = "MaterialInformation";
    public const string Definition = "MaterialDefinition";
    public const string UnitProperty = "UnitOfMeasure";
    public const string CostProperty = "UnitCost";
    public const int MaxMaterials = 10_000;
    public const int MaxClasses = 20;
    public const double MaxCost = 1e9;

    public static IReadOnlyDictionary<string, B2mmlChild[]> Rules { get; } = new Dictionary<string, B2mmlChild[]>(StringComparer.Ordinal)
    {
        [Information] =
        [
            Optional("ID"), Ignored("Description", Many), Ignored("Location"), Ignored("HierarchyScope"), Optional("PublishedDate"),
            Ignored("MaterialClass", Many), new(Definition, 1, MaxMaterials), Ignored("MaterialLot", Many), Ignored("MaterialSubLot", Many),
            Ignored("MaterialTestSpecification", Many),
        ],
        [Definition] =
        [
            One("ID"), Any("Description"), Ignored("Location"), Ignored("HierarchyScope"), Any("MaterialDefinitionProperty"),
            Any("MaterialClassID", MaxClasses), Ignored("MaterialLotID", Many), Ignored("MaterialTestSpecificationID", Many),
            Ignored("AssemblyDefinitionID", Many), Ignored("AssemblyType"), Ignored("AssemblyRelationship"),
        ],
        ["MaterialDefinitionProperty"] =
        [
            One("ID"), Any("Description"), Any("Value"), Ignored("MaterialDefinitionProperty", Many), Ignored("MaterialTestSpecificationID", Many),
        ],
        ["Value"] = [One("ValueString"), Optional("DataType"), Optional("UnitOfMeasure"), Optional("Key")],
    };

    public static IReadOnlyList<ErpMaterial> Read(ReadOnlySpan<byte> input)
    {
        var root = Load(input, Rules, Information, Definition);
        if (Child(root, "PublishedDate") is { } published)
        {
            Time(published);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var materials = new List<ErpMaterial>();
        foreach (var definition in root.Name.LocalName == Definition ? [root] : Children(root, Definition))
        {
            var idElement = Child(definition, "ID")!;
            var id = Text(idElement);
            if (!seen.TryAdd(id, PlaceOf(definition).Line))
            {
                throw new B2mmlException(PlaceOf(idElement), $"material '{id}' appears again (first on line {seen[id]}); one MaterialDefinition per material");
            }

            var places = new Dictionary<string, ErpPlace> { ["ID"] = PlaceOf(idElement) };
            string? unit = null;
            double? cost = null;
            foreach (var property in Children(definition, "MaterialDefinitionProperty"))
            {
                var name = Text(Child(property, "ID")!);
                if (name is not (UnitProperty or CostProperty))
                {
                    continue;
                }

                var value = Children(property, "Value").ToList() is [var one] ? Child(one, "ValueString")!
                    : throw new B2mmlException(PlaceOf(property), $"the {name} property holds exactly one Value");
                places[name] = PlaceOf(value);
                if (name == UnitProperty)
                {
                    unit = unit is null ? Text(value, 20) : throw new B2mmlException(PlaceOf(property), "the unit is given twice");
                }
                else
                {
                    cost = cost is null ? Number(value, 0, MaxCost) : throw new B2mmlException(PlaceOf(property), "the unit cost is given twice");
                }
            }

            var classes = new List<string>();
            foreach (var c in Children(definition, "MaterialClassID"))
            {
                var name = Text(c);
                if (!classes.Contains(name, StringComparer.Ordinal))
                {
                    classes.Add(name);
                }
            }

            var description = Children(definition, "Description").FirstOrDefault() is { } d ? Text(d) : id;
            materials.Add(new ErpMaterial(id, description, unit, cost, classes) { Places = places });
        }

        return materials;
    }

    /// <summary>The materials as a MaterialInformation document, in the shape <see cref="Read"/> takes.</summary>
    public static byte[] Write(string id, IReadOnlyList<ErpMaterial> materials, DateTimeOffset published)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(Information, Namespace);
            xml.WriteElementString("ID", Namespace, id);
            xml.WriteElementString("PublishedDate", Namespace, Format(published));
            foreach (var material in materials)
            {
                xml.WriteStartElement(Definition, Namespace);
                xml.WriteElementString("ID", Namespace, material.Id);
                xml.WriteElementString("Description", Namespace, material.Description);
                if (material.Unit is { } unit)
                {
                    Property(xml, UnitProperty, unit, "string");
                }

                if (material.UnitCost is { } cost)
                {
                    Property(xml, CostProperty, cost.ToString("R", CultureInfo.InvariantCulture), "double");
                }

                foreach (var c in material.Classes)
                {
                    xml.WriteElementString("MaterialClassID", Namespace, c);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return stream.ToArray();
    }

    private static void Property(XmlWriter xml, string id, string value, string dataType)
    {
        xml.WriteStartElement("MaterialDefinitionProperty", Namespace);
        xml.WriteElementString("ID", Namespace, id);
        xml.WriteStartElement("Value", Namespace);
        xml.WriteElementString("ValueString", Namespace, value);
        xml.WriteElementString("DataType", Namespace, dataType);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
