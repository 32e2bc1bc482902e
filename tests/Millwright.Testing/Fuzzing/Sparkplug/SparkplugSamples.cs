using Millwright.Sparkplug;

namespace Millwright.Fuzzing;

/// <summary>Sample metrics of every datatype and a complete edge-node conversation, as test and fuzz seeds.</summary>
internal static class SparkplugSamples
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<SparkplugMetricValue> EveryDataType() =>
    [
        new("Int8", SparkplugDataType.Int8, (sbyte)-7),
        new("Int16", SparkplugDataType.Int16, (short)-1234),
        new("Int32", SparkplugDataType.Int32, -123_456),
        new("Int64", SparkplugDataType.Int64, -1_234_567_890_123L),
        new("UInt8", SparkplugDataType.UInt8, (byte)200),
        new("UInt16", SparkplugDataType.UInt16, (ushort)60_000),
        new("UInt32", SparkplugDataType.UInt32, 4_000_000_000u),
        new("UInt64", SparkplugDataType.UInt64, 18_000_000_000_000_000_000UL),
        new("Float", SparkplugDataType.Float, 12.5f),
        new("Double", SparkplugDataType.Double, -0.125),
        new("Boolean", SparkplugDataType.Boolean, true),
        new("String", SparkplugDataType.String, "Running"),
        new("DateTime", SparkplugDataType.DateTime, Epoch.AddMinutes(-5)),
        new("Text", SparkplugDataType.Text, "Spindle warm-up\nfinished"),
        new("UUID", SparkplugDataType.Uuid, "5f7a1b1e-2a9b-4c3e-8f00-000000000001"),
        new("Bytes", SparkplugDataType.Bytes, new byte[] { 0, 1, 2, 0xFE, 0xFF }),
        new("File", SparkplugDataType.File, "G0 X0 Y0\n"u8.ToArray()),
        new("Null Int32", SparkplugDataType.Int32, null),
        new("Null String", SparkplugDataType.String, null),
        new("DataSet", SparkplugDataType.DataSet, new SparkplugDataSet(
            ["Program", "Parts", "Ok"],
            [SparkplugDataType.String, SparkplugDataType.Int32, SparkplugDataType.Boolean],
            [["O1000", -3, true], ["O2000", 42, false]])),
        new("Template", SparkplugDataType.Template, new SparkplugTemplate("1.0", "Axis", false,
            [new SparkplugMetric { Name = "Position", DataType = SparkplugDataType.Double, Value = 10.5 }],
            [new SparkplugTemplateParameter("Unit", SparkplugDataType.String, "mm")])),
        new("Int16Array", SparkplugDataType.Int16Array, new short[] { -1, 0, 1, short.MaxValue }),
        new("DoubleArray", SparkplugDataType.DoubleArray, new[] { 1.5, -2.25 }),
        new("BooleanArray", SparkplugDataType.BooleanArray, new[] { false, false, true, true, false, true, false, false, true, true, false, true }),
        new("StringArray", SparkplugDataType.StringArray, new[] { "ABC", "hello" }),
        new("DateTimeArray", SparkplugDataType.DateTimeArray, new[] { Epoch, Epoch.AddSeconds(1) }),
    ];

    /// <summary>NDEATH (will), NBIRTH, DBIRTH, NDATA, DDATA, DDEATH, NCMD, DCMD and STATE, in protocol order.</summary>
    public static IReadOnlyList<SparkplugPublication> Conversation(TimeProvider time)
    {
        var node = new SparkplugEdgeNode("Plant1", "Cell7", time, bdSeq: 3);
        var now = time.GetUtcNow();
        return
        [
            node.DeathCertificate(),
            node.NodeBirth([new("Supply Voltage", SparkplugDataType.Float, 24.1f), new("Mode", SparkplugDataType.String, "auto")]),
            node.DeviceBirth("CNC-01", EveryDataType()),
            node.NodeData([new("Supply Voltage", 23.9f)]),
            node.DeviceData("CNC-01", [new("Int32", 7), new("Double", 2.5), new("Null String", "now set"), new("BooleanArray", new[] { true })]),
            node.DeviceDeath("CNC-01"),
            SparkplugCommands.Rebirth("Plant1", "Cell7", now),
            SparkplugCommands.DeviceCommand("Plant1", "Cell7", "CNC-01", [new("Int32", SparkplugDataType.Int32, 5)], now),
            new(SparkplugTopic.ForHostState("millwright"), new SparkplugHostState(true, now).ToJson()),
        ];
    }
}
