namespace Millwright.Modbus.Tests;

/// <summary>Our client against pymodbus; expected values mirror the table in peers/pymodbus_server.py.</summary>
public sealed class PymodbusTests(PymodbusPeer peer) : IClassFixture<PymodbusPeer>
{
    private ModbusTcpClient Client() => new("127.0.0.1", peer.Port, unitId: 1, timeout: TimeSpan.FromSeconds(10));

    private static ModbusRegisterMap Map() => new(
    [
        new("i16", ModbusArea.HoldingRegister, 0, ModbusDataType.Int16),
        new("u16", ModbusArea.HoldingRegister, 1, ModbusDataType.UInt16),
        new("i32", ModbusArea.HoldingRegister, 2, ModbusDataType.Int32),
        new("u32", ModbusArea.HoldingRegister, 4, ModbusDataType.UInt32),
        new("f32", ModbusArea.HoldingRegister, 6, ModbusDataType.Float32),
        new("f32_cdab", ModbusArea.HoldingRegister, 8, ModbusDataType.Float32, ModbusWordOrder.WordSwapped),
        new("i32_cdab", ModbusArea.HoldingRegister, 10, ModbusDataType.Int32, ModbusWordOrder.WordSwapped),
        new("scaled", ModbusArea.HoldingRegister, 12, ModbusDataType.UInt16, Scale: 0.1, Offset: -10),
        new("u32_cdab", ModbusArea.HoldingRegister, 14, ModbusDataType.UInt32, ModbusWordOrder.WordSwapped),
        new("pi", ModbusArea.InputRegister, 0, ModbusDataType.Float32),
        new("answer", ModbusArea.InputRegister, 2, ModbusDataType.UInt16),
        new("coil0", ModbusArea.Coil, 0, ModbusDataType.Bool),
        new("coil1", ModbusArea.Coil, 1, ModbusDataType.Bool),
        new("coil3", ModbusArea.Coil, 3, ModbusDataType.Bool),
        new("di0", ModbusArea.DiscreteInput, 0, ModbusDataType.Bool),
        new("di1", ModbusArea.DiscreteInput, 1, ModbusDataType.Bool),
    ]);

    [Fact]
    public async Task Every_data_type_and_word_order_served_by_pymodbus_decodes_to_its_value()
    {
        var machine = new ModbusMachine("py-1", "127.0.0.1", peer.Port, 1, Map(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var values = await PollOnceAsync(machine);

        Assert.Equal(-2, values["i16"]);
        Assert.Equal(50000, values["u16"]);
        Assert.Equal(-123456, values["i32"]);
        Assert.Equal(3_000_000_000, values["u32"]);
        Assert.Equal(12.5, values["f32"]);
        Assert.Equal(-7.25, values["f32_cdab"]);
        Assert.Equal(-123456, values["i32_cdab"]);
        Assert.Equal(113.4, values["scaled"], 9);
        Assert.Equal(3_000_000_000, values["u32_cdab"]);
        Assert.Equal(3.14159, values["pi"], 5);
        Assert.Equal(42, values["answer"]);
        Assert.Equal([1.0, 0, 1], [values["coil0"], values["coil1"], values["coil3"]]);
        Assert.Equal([0.0, 1], [values["di0"], values["di1"]]);
    }

    [Fact]
    public async Task Coils_and_discrete_inputs_read_as_bit_arrays_across_byte_boundaries()
    {
        await using var client = Client();
        // Coils 10 and up belong to the write test, which shares this server.
        var coils = await client.ReadCoilsAsync(0, 10);
        var inputs = await client.ReadDiscreteInputsAsync(0, 20);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 3 == 0), coils);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 1), inputs);
    }

    [Fact]
    public async Task Single_and_multiple_register_writes_read_back_from_pymodbus()
    {
        await using var client = Client();
        await client.WriteSingleRegisterAsync(50, 0xBEEF);
        await client.WriteMultipleRegistersAsync(51, new ushort[] { 1, 2, 3, 65535 });
        Assert.Equal(new ushort[] { 0xBEEF, 1, 2, 3, 65535 }, await client.ReadHoldingRegistersAsync(50, 5));
    }

    [Fact]
    public async Task Single_and_multiple_coil_writes_read_back_from_pymodbus()
    {
        await using var client = Client();
        await client.WriteSingleCoilAsync(10, true);
        await client.WriteMultipleCoilsAsync(11, new[] { true, false, true, true, false, false, true, true, true });
        var coils = await client.ReadCoilsAsync(10, 10);
        Assert.Equal([true, true, false, true, true, false, false, true, true, true], coils);
    }

    [Fact]
    public async Task A_read_past_the_end_of_pymodbus_registers_is_an_illegal_data_address_device_exception()
    {
        await using var client = Client();
        var refused = await Assert.ThrowsAsync<ModbusDeviceException>(() => client.ReadHoldingRegistersAsync(99, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, refused.Code);
        Assert.Equal(ModbusFunction.ReadHoldingRegisters, refused.Function);

        // The connection survives a refusal: the next request goes through on it.
        Assert.True(client.IsConnected);
        Assert.Equal(new ushort[] { 42 }, await client.ReadInputRegistersAsync(2, 1));
    }

    [Fact]
    public async Task A_write_past_the_end_of_pymodbus_registers_is_refused_with_illegal_data_address()
    {
        await using var client = Client();
        var refused = await Assert.ThrowsAsync<ModbusDeviceException>(() => client.WriteSingleRegisterAsync(500, 1));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, refused.Code);
    }

    [Fact]
    public async Task The_poller_reports_a_refused_block_per_machine_and_still_publishes_the_other_values()
    {
        var map = new ModbusRegisterMap(
        [
            new("answer", ModbusArea.InputRegister, 2, ModbusDataType.UInt16),
            new("missing", ModbusArea.HoldingRegister, 150, ModbusDataType.UInt16),
        ]);
        var machine = new ModbusMachine("py-2", "127.0.0.1", peer.Port, 1, map, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var harness = new PollerHarness(machine, new ManualClock());
        await using (harness)
        {
            var reading = await harness.NextReadingAsync();
            var status = await harness.NextStatusAsync();
            Assert.Equal(42, reading.Values["answer"]);
            Assert.False(reading.Values.ContainsKey("missing"));
            Assert.Equal(ModbusHealth.DeviceException, status.Health);
            Assert.Equal(ModbusExceptionCode.IllegalDataAddress, status.ExceptionCode);
            Assert.Equal("py-2", status.MachineKey);
        }
    }

    private static async Task<IReadOnlyDictionary<string, double>> PollOnceAsync(ModbusMachine machine)
    {
        var harness = new PollerHarness(machine, new ManualClock());
        await using (harness)
        {
            var status = await harness.NextStatusAsync();
            Assert.Equal(ModbusHealth.Online, status.Health);
            return (await harness.NextReadingAsync()).Values;
        }
    }
}
