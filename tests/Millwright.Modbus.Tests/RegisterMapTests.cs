namespace Millwright.Modbus.Tests;

public sealed class RegisterMapTests
{
    private static ModbusPoint Holding(string tag, ushort address, ModbusDataType type = ModbusDataType.UInt16) =>
        new(tag, ModbusArea.HoldingRegister, address, type);

    [Fact]
    public void Contiguous_points_of_one_area_are_read_in_one_request()
    {
        var map = new ModbusRegisterMap([Holding("c", 3, ModbusDataType.Float32), Holding("a", 0), Holding("b", 1, ModbusDataType.Int32)]);
        var block = Assert.Single(map.Plan);
        Assert.Equal((ModbusFunction.ReadHoldingRegisters, (ushort)0, (ushort)5), (block.Function, block.Address, block.Quantity));
    }

    [Fact]
    public void A_gap_splits_requests_unless_the_map_allows_reading_across_it()
    {
        ModbusPoint[] points = [Holding("a", 0), Holding("b", 5)];
        Assert.Equal(2, new ModbusRegisterMap(points).Plan.Count);
        Assert.Single(new ModbusRegisterMap(points, maxGap: 4).Plan);
    }

    [Fact]
    public void No_request_exceeds_125_registers_or_2000_bits()
    {
        var registers = Enumerable.Range(0, 300).Select(i => Holding($"r{i}", (ushort)(i * 2), ModbusDataType.Float32));
        var bits = Enumerable.Range(0, 4500).Select(i => new ModbusPoint($"b{i}", ModbusArea.Coil, (ushort)i, ModbusDataType.Bool));
        var map = new ModbusRegisterMap(registers.Concat(bits));
        Assert.All(map.Plan, block => Assert.True(block.Quantity <= (block.Area == ModbusArea.Coil ? 2000 : 125)));
        Assert.Equal(new[] { 2000, 2000, 500 }, map.Plan.Where(b => b.Area == ModbusArea.Coil).Select(b => (int)b.Quantity));
        // 124 registers hold 62 float pairs; a 63rd would straddle the limit.
        Assert.Equal(124, map.Plan.First(b => b.Area == ModbusArea.HoldingRegister).Quantity);
        Assert.Equal(300, map.Plan.Where(b => b.Area == ModbusArea.HoldingRegister).Sum(b => b.Points.Count));
    }

    [Fact]
    public void Areas_are_never_mixed_in_one_request()
    {
        var map = new ModbusRegisterMap(
        [
            Holding("h", 0),
            new("i", ModbusArea.InputRegister, 1, ModbusDataType.UInt16),
            new("c", ModbusArea.Coil, 0, ModbusDataType.Bool),
            new("d", ModbusArea.DiscreteInput, 0, ModbusDataType.Bool),
        ]);
        Assert.Equal(4, map.Plan.Count);
        Assert.Equal(4, map.Plan.Select(b => b.Function).Distinct().Count());
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, ModbusWordOrder.BigEndian, new ushort[] { 0x8000 }, -32768)]
    [InlineData(ModbusDataType.UInt16, ModbusWordOrder.BigEndian, new ushort[] { 0x8000 }, 32768)]
    [InlineData(ModbusDataType.Int32, ModbusWordOrder.BigEndian, new ushort[] { 0xFFFF, 0xFFFE }, -2)]
    [InlineData(ModbusDataType.Int32, ModbusWordOrder.WordSwapped, new ushort[] { 0xFFFE, 0xFFFF }, -2)]
    [InlineData(ModbusDataType.UInt32, ModbusWordOrder.BigEndian, new ushort[] { 0x0001, 0x0000 }, 65536)]
    [InlineData(ModbusDataType.UInt32, ModbusWordOrder.WordSwapped, new ushort[] { 0x0000, 0x0001 }, 65536)]
    [InlineData(ModbusDataType.Float32, ModbusWordOrder.BigEndian, new ushort[] { 0x4148, 0x0000 }, 12.5)]
    [InlineData(ModbusDataType.Float32, ModbusWordOrder.WordSwapped, new ushort[] { 0x0000, 0x4148 }, 12.5)]
    public void Raw_registers_decode_by_type_and_word_order(ModbusDataType type, ModbusWordOrder order, ushort[] raw, double expected)
    {
        var point = new ModbusPoint("x", ModbusArea.HoldingRegister, 0, type, order);
        Assert.Equal(expected, ModbusPointCodec.Decode(point, raw));
        Assert.Equal(raw, ModbusPointCodec.EncodeRegisters(point, expected));
    }

    [Fact]
    public void Scale_and_offset_apply_as_raw_times_scale_plus_offset()
    {
        var point = new ModbusPoint("t", ModbusArea.InputRegister, 0, ModbusDataType.Int16, Scale: 0.5, Offset: -40);
        Assert.Equal(10, ModbusPointCodec.Decode(point, [100]));
        Assert.Equal(new ushort[] { 100 }, ModbusPointCodec.EncodeRegisters(point, 10));
    }

    [Theory]
    [InlineData(ModbusArea.Coil, ModbusDataType.UInt16)]
    [InlineData(ModbusArea.HoldingRegister, ModbusDataType.Bool)]
    public void A_type_that_does_not_fit_its_area_is_refused(ModbusArea area, ModbusDataType type)
    {
        Assert.Throws<ArgumentException>(() => new ModbusRegisterMap([new ModbusPoint("x", area, 0, type)]));
    }

    [Fact]
    public void Duplicate_tags_a_zero_scale_and_a_point_past_65535_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ModbusRegisterMap([Holding("x", 0), Holding("x", 1)]));
        Assert.Throws<ArgumentException>(() => new ModbusRegisterMap([Holding("x", 0) with { Scale = 0 }]));
        Assert.Throws<ArgumentException>(() => new ModbusRegisterMap([Holding("x", 65535, ModbusDataType.Int32)]));
    }
}
