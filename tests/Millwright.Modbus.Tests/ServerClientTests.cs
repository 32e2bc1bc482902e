using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Millwright.Modbus.Tests;

[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the server through IAsyncLifetime")]
public sealed class ServerClientTests : IAsyncLifetime
{
    private readonly ModbusTcpServer _server = new(new ModbusRegisterBank(100, 100, 100, 100), new IPEndPoint(IPAddress.Loopback, 0));

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private ModbusTcpClient Client(byte unit = 1) => new("127.0.0.1", _server.LocalEndPoint.Port, unit, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Registers_written_by_our_client_read_back_from_our_server()
    {
        await using var client = Client();
        await client.WriteSingleRegisterAsync(0, 7);
        await client.WriteMultipleRegistersAsync(1, Enumerable.Range(1, 99).Select(i => (ushort)(i * 600)).ToArray());
        var registers = await client.ReadHoldingRegistersAsync(0, 100);
        Assert.Equal(7, registers[0]);
        Assert.Equal(99 * 600, registers[99]);
    }

    [Fact]
    public async Task Coils_written_by_our_client_read_back_from_our_server()
    {
        await using var client = Client();
        var pattern = Enumerable.Range(0, 77).Select(i => i % 5 == 0).ToArray();
        await client.WriteMultipleCoilsAsync(3, pattern);
        await client.WriteSingleCoilAsync(99, true);
        Assert.Equal(pattern, await client.ReadCoilsAsync(3, 77));
        var last = await client.ReadCoilsAsync(98, 2);
        Assert.Equal([false, true], last);
    }

    [Fact]
    public async Task Input_registers_and_discrete_inputs_set_on_the_bank_are_served()
    {
        _server.Bank.SetRegisters(ModbusArea.InputRegister, 10, [1, 2, 3]);
        _server.Bank.SetBits(ModbusArea.DiscreteInput, 8, [true, false, true]);
        await using var client = Client(unit: 200);
        Assert.Equal(new ushort[] { 1, 2, 3 }, await client.ReadInputRegistersAsync(10, 3));
        var inputs = await client.ReadDiscreteInputsAsync(8, 3);
        Assert.Equal([true, false, true], inputs);
    }

    [Fact]
    public async Task Typed_values_set_by_the_simulator_decode_through_the_register_map()
    {
        var points = new ModbusPoint[]
        {
            new("power", ModbusArea.HoldingRegister, 20, ModbusDataType.Float32, ModbusWordOrder.WordSwapped),
            new("parts", ModbusArea.HoldingRegister, 22, ModbusDataType.UInt32),
            new("temp", ModbusArea.InputRegister, 0, ModbusDataType.Int16, Scale: 0.1),
        };
        _server.Bank.SetValue(points[0], 17.25);
        _server.Bank.SetValue(points[1], 4_000_000_000);
        _server.Bank.SetValue(points[2], -12.3);
        await using var client = Client();
        var holding = await client.ReadHoldingRegistersAsync(20, 4);
        Assert.Equal(17.25, ModbusPointCodec.Decode(points[0], holding));
        Assert.Equal(4_000_000_000, ModbusPointCodec.Decode(points[1], holding.AsSpan(2)));
        Assert.Equal(-12.3, ModbusPointCodec.Decode(points[2], await client.ReadInputRegistersAsync(0, 1)), 9);
    }

    [Fact]
    public async Task Reads_past_the_bank_are_refused_with_illegal_data_address()
    {
        await using var client = Client();
        var refused = await Assert.ThrowsAsync<ModbusDeviceException>(() => client.ReadHoldingRegistersAsync(99, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, refused.Code);
        refused = await Assert.ThrowsAsync<ModbusDeviceException>(() => client.WriteSingleCoilAsync(100, true));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, refused.Code);
    }

    [Fact]
    public async Task Quantities_beyond_the_spec_limits_are_caller_errors_that_keep_the_connection()
    {
        await using var client = Client();
        await client.ReadCoilsAsync(0, 1);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ReadHoldingRegistersAsync(0, 126));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ReadCoilsAsync(0, 2001));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.WriteMultipleRegistersAsync(0, new ushort[124]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ReadInputRegistersAsync(65535, 2));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_broken_mbap_header_closes_that_connection_and_no_other()
    {
        await using var client = Client();
        await client.ReadCoilsAsync(0, 1);

        using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync(_server.LocalEndPoint);
        // Protocol id 1 is not Modbus (TCP guide 3.1.3): the server must drop the stream.
        await raw.SendAsync(new byte[] { 0, 1, 0, 1, 0, 6, 1, 3, 0, 0, 0, 1 });
        var buffer = new byte[16];
        Assert.Equal(0, await raw.ReceiveAsync(buffer).WaitAsync(Eventually.DefaultPatience));

        Assert.Equal(new ushort[] { 0 }, await client.ReadHoldingRegistersAsync(5, 1));
    }

    [Fact]
    public async Task An_unknown_function_code_is_answered_with_illegal_function()
    {
        using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync(_server.LocalEndPoint);
        await raw.SendAsync(new byte[] { 0xAB, 0xCD, 0, 0, 0, 3, 9, 0x2B, 0x0E });
        var buffer = new byte[16];
        var received = 0;
        while (received < 9)
        {
            received += await raw.ReceiveAsync(buffer.AsMemory(received)).AsTask().WaitAsync(Eventually.DefaultPatience);
        }

        Assert.Equal(new byte[] { 0xAB, 0xCD, 0, 0, 0, 3, 9, 0xAB, 0x01 }, buffer[..9]);
    }

    [Fact]
    public async Task A_client_reconnects_after_the_server_dropped_its_idle_connection()
    {
        var port = _server.LocalEndPoint.Port;
        await using var client = Client();
        await client.ReadCoilsAsync(0, 1);
        await _server.DisposeAsync();

        var restarted = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, port));
        await using (restarted)
        {
            restarted.Start();
            restarted.Bank.SetRegisters(ModbusArea.HoldingRegister, 0, [321]);
            // The old connection is dead; a read is repeated once on a fresh one.
            Assert.Equal(new ushort[] { 321 }, await client.ReadHoldingRegistersAsync(0, 1));
        }
    }
}
