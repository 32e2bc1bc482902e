namespace Millwright.Fuzzing;

/// <summary>Every fuzz target of the platform, by the name the driver takes.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new MqttFuzzing(),
        new SparkplugFuzzing(),
        new ModbusResponseFuzzing(),
        new ModbusRequestFuzzing(),
        new JobShopFuzzing(),
        new FlexibleJobShopFuzzing(),
        new ErpOrderCsvFuzzing(),
        new B2mmlFuzzing(),
        new ChunkFuzzing(),
        new SeriesCsvFuzzing(),
        new DetectorStateFuzzing(),
        new DstFuzzing(),
        new ExpFuzzing(),
        new SvgFuzzing(),
        new LogoFuzzing(),
        new CustomerCsvFuzzing(),
        new MarkerFuzzing(),
        new OpcUaFuzzing(),
        new OpcUaSecuredFuzzing(),
        new GeofenceFuzzing(),
        new AempFeedFuzzing(),
        new ChannelRequestFuzzing(),
        new SharedFileFuzzing(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
