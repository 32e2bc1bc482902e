using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Millwright.Modbus.Tests;

/// <summary>Debian's mbpoll (libmodbus) as a third-party client of our server. Its host comes before write values.</summary>
public sealed class MbpollTests
{
    private static async Task<(int ExitCode, string Output)> MbpollAsync(int port, string[] options, params string[] writeValues)
    {
        if (!File.Exists("/usr/bin/mbpoll"))
        {
            PymodbusPeer.Run("apt-get", "install -y -qq mbpoll");
        }

        var start = new ProcessStartInfo("/usr/bin/mbpoll", ["-m", "tcp", "-p", port.ToString(CultureInfo.InvariantCulture), "-a", "1", "-0", "-o", "5", .. options, "127.0.0.1", .. writeValues])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Mbpoll_reads_and_writes_registers_and_coils_on_our_server()
    {
        var server = new ModbusTcpServer(new ModbusRegisterBank(100, 100, 100, 100), new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            server.Start();
            var port = server.LocalEndPoint.Port;
            server.Bank.SetValue(new ModbusPoint("f", ModbusArea.InputRegister, 6, ModbusDataType.Float32), 12.5);
            server.Bank.SetRegisters(ModbusArea.HoldingRegister, 0, [65534, 50000]);

            var (code, output) = await MbpollAsync(port, ["-r", "0", "-c", "2", "-t", "4", "-1"]);
            Assert.True(code == 0, output);
            Assert.Contains("[0]: \t65534 (-2)", output, StringComparison.Ordinal);
            Assert.Contains("[1]: \t50000", output, StringComparison.Ordinal);

            (code, output) = await MbpollAsync(port, ["-r", "6", "-c", "1", "-t", "3:float", "-B", "-1"]);
            Assert.True(code == 0, output);
            Assert.Contains("[6]: \t12.5", output, StringComparison.Ordinal);

            (code, output) = await MbpollAsync(port, ["-r", "20", "-t", "4"], "555", "666");
            Assert.True(code == 0, output);
            Assert.Equal(new ushort[] { 555, 666 }, server.Bank.GetRegisters(ModbusArea.HoldingRegister, 20, 2));

            (code, output) = await MbpollAsync(port, ["-r", "3", "-t", "0"], "1", "0", "1");
            Assert.True(code == 0, output);
            Assert.Equal([true, false, true], server.Bank.GetBits(ModbusArea.Coil, 3, 3));
        }
    }

    [Fact]
    public async Task Mbpoll_sees_our_illegal_data_address_exception_response()
    {
        var server = new ModbusTcpServer(new ModbusRegisterBank(100, 100, 100, 100), new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            server.Start();
            var (code, output) = await MbpollAsync(server.LocalEndPoint.Port, ["-r", "99", "-c", "2", "-t", "4", "-1"]);
            Assert.NotEqual(0, code);
            Assert.Contains("Illegal data address", output, StringComparison.Ordinal);
        }
    }
}
