using System.Net;
using System.Net.Sockets;

namespace Millwright.Modbus.Tests;

public sealed class PollerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly ModbusRegisterMap Map = new(
    [
        new("speed", ModbusArea.HoldingRegister, 0, ModbusDataType.UInt16),
        new("running", ModbusArea.Coil, 0, ModbusDataType.Bool),
    ]);

    private static ModbusMachine Machine(int port) => new("press-01", "127.0.0.1", port, 1, Map, Interval, TimeSpan.FromSeconds(2));

    [Fact]
    public async Task A_device_that_goes_away_is_reported_with_growing_back_off_and_read_again_when_it_returns()
    {
        var bank = new ModbusRegisterBank(10, 10, 10, 10);
        bank.SetRegisters(ModbusArea.HoldingRegister, 0, [1200]);
        var server = new ModbusTcpServer(bank, new IPEndPoint(IPAddress.Loopback, 0));
        server.Start();
        var port = server.LocalEndPoint.Port;
        var clock = new ManualClock();
        var start = clock.GetUtcNow();
        await using var poller = new PollerHarness(Machine(port), clock);

        Assert.Equal(ModbusHealth.Online, (await poller.NextStatusAsync()).Health);
        Assert.Equal(1200, (await poller.NextReadingAsync()).Values["speed"]);

        await server.DisposeAsync();
        clock.Advance(Interval);
        var expectedBackoff = new[] { 1, 2, 4, 8, 8, 8 };
        for (var i = 0; i < expectedBackoff.Length; i++)
        {
            var status = await poller.NextStatusAsync();
            Assert.Equal(ModbusHealth.ConnectionFailed, status.Health);
            Assert.Equal(i + 1, status.ConsecutiveFailures);
            Assert.Equal(TimeSpan.FromSeconds(expectedBackoff[i]), status.RetryIn);
            Assert.Equal("press-01", status.MachineKey);
            if (i == expectedBackoff.Length - 1)
            {
                // Back before the last retry fires.
                bank.SetRegisters(ModbusArea.HoldingRegister, 0, [900]);
                server = new ModbusTcpServer(bank, new IPEndPoint(IPAddress.Loopback, port));
                server.Start();
            }

            clock.Advance(status.RetryIn!.Value);
        }

        await using (server)
        {
            var back = await poller.NextStatusAsync();
            Assert.Equal(ModbusHealth.Online, back.Health);
            Assert.Equal(start + Interval + TimeSpan.FromSeconds(1 + 2 + 4 + 8 + 8 + 8), back.Timestamp);
            Assert.Equal(900, (await poller.NextReadingAsync()).Values["speed"]);
        }
    }

    [Fact]
    public async Task A_device_that_accepts_but_never_answers_is_reported_as_a_timeout()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var machine = Machine(((IPEndPoint)listener.LocalEndPoint!).Port);
        var clock = new ManualClock();
        await using var poller = new PollerHarness(machine, clock);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var silent = await listener.AcceptAsync().WaitAsync(Patience);
            // Once the request has arrived the client's timeout timer is running on the manual clock.
            var request = new byte[12];
            var received = 0;
            while (received < request.Length)
            {
                received += await silent.ReceiveAsync(request.AsMemory(received)).AsTask().WaitAsync(Patience);
            }

            Assert.Equal((byte)ModbusFunction.ReadCoils, request[7]);
            clock.Advance(machine.Timeout);
            var status = await poller.NextStatusAsync();
            Assert.Equal(ModbusHealth.Timeout, status.Health);
            Assert.Equal(attempt, status.ConsecutiveFailures);
            clock.Advance(status.RetryIn!.Value);
        }
    }

    [Fact]
    public async Task A_healthy_device_is_read_once_per_interval_and_reports_online_only_once()
    {
        var server = new ModbusTcpServer(new ModbusRegisterBank(10, 10, 10, 10), new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            server.Start();
            var clock = new ManualClock();
            var start = clock.GetUtcNow();
            await using var poller = new PollerHarness(Machine(server.LocalEndPoint.Port), clock);
            Assert.Equal(ModbusHealth.Online, (await poller.NextStatusAsync()).Health);
            for (var i = 0; i < 5; i++)
            {
                var reading = await poller.NextReadingAsync();
                Assert.Equal(start + (Interval * i), reading.Timestamp);
                Assert.Equal(i, reading.Values["speed"]);
                Assert.Equal(i % 2, reading.Values["running"]);

                // The poller is waiting for the next interval: change the device, then let the time pass.
                server.Bank.SetRegisters(ModbusArea.HoldingRegister, 0, [(ushort)(i + 1)]);
                server.Bank.SetBits(ModbusArea.Coil, 0, [(i + 1) % 2 == 1]);
                clock.Advance(Interval);
            }

            Assert.False(poller.TryReadStatus(out _));
        }
    }
}
