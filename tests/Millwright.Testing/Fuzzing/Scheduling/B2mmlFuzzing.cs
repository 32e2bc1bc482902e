using Millwright.Scheduling.Erp;

namespace Millwright.Fuzzing;

/// <summary>
/// `b2mml`: the B2MML documents of <c>POST /api/v1/erp/orders</c> (ProductionSchedule) and
/// <c>POST /api/v1/erp/materials</c> (MaterialInformation, MaterialDefinition). Every mutated document goes to both
/// readers; each must read it or refuse it with <see cref="B2mmlException"/> at a path and a line and column of at
/// least 1; anything else escapes as a finding.
/// </summary>
internal sealed class B2mmlFuzzing : IFuzzTarget
{
    public string Name => "b2mml";

    public string Description => "ERP B2MML ProductionSchedule and material master data (uploaded XML)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), static input => Check(input) > 0, "read");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ProductionSchedule xmlns="http://www.mesa.org/xml/B2MML-V0600"><ID>S-1</ID>
          <Location><EquipmentID>Works</EquipmentID><EquipmentElementLevel>Site</EquipmentElementLevel></Location>
          <PublishedDate>2027-03-20T08:00:00Z</PublishedDate>
          <ProductionRequest><ID>PO-1</ID><Description>x</Description><EndTime>2027-03-31T16:00:00+02:00</EndTime><Priority>20</Priority>
            <SegmentRequirement><ID>1</ID><MaterialProducedRequirement><MaterialDefinitionID>BRKT</MaterialDefinitionID>
              <Quantity><QuantityString>12</QuantityString><DataType>integer</DataType><UnitOfMeasure>count</UnitOfMeasure></Quantity>
            </MaterialProducedRequirement></SegmentRequirement><RequestState>Waiting</RequestState></ProductionRequest>
          <ProductionRequest><ID>PO-2</ID><EndTime>2027-04-01T12:00:00.5Z</EndTime><SegmentRequirement><MaterialProducedRequirement>
            <MaterialDefinitionID>BRKT</MaterialDefinitionID><Quantity><QuantityString>3</QuantityString></Quantity></MaterialProducedRequirement>
          </SegmentRequirement></ProductionRequest>
        </ProductionSchedule>
        """u8.ToArray(),
        """
        <MaterialInformation xmlns="http://www.mesa.org/xml/B2MML-V0600"><ID>M</ID>
          <MaterialDefinition><ID>BRKT</ID><Description>Bracket</Description>
            <MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>count</ValueString></Value></MaterialDefinitionProperty>
            <MaterialDefinitionProperty><ID>UnitCost</ID><Value><ValueString>4.75</ValueString><DataType>double</DataType></Value></MaterialDefinitionProperty>
            <MaterialClassID>FinishedGoods</MaterialClassID></MaterialDefinition>
          <MaterialDefinition><ID>BLANK</ID></MaterialDefinition>
        </MaterialInformation>
        """u8.ToArray(),
        """<MaterialDefinition xmlns="http://www.mesa.org/xml/B2MML-V0600"><ID>NUT</ID><MaterialClassID>C</MaterialClassID></MaterialDefinition>"""u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>How many of the two readers read the document (0..2); a refusal without a proper place escapes.</summary>
    public static int Check(byte[] input) => (Try(() => B2mmlSchedule.Read(input)) ? 1 : 0) + (Try(() => B2mmlMaterials.Read(input)) ? 1 : 0);

    private static bool Try(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (B2mmlException e) when (e.Place.Line >= 1 && e.Place.Column >= 1 && e.Place.Path.StartsWith('/'))
        {
            return false;
        }
    }
}
