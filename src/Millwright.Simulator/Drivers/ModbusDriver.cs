using System.Net;
using Millwright.Modbus;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// A machine that is a Modbus TCP server: it listens on its own loopback port and writes its values into
/// the register bank every tick; the platform is the client and polls it. "Connected" means listening. In job
/// mode it also serves a job block (<see cref="ModbusJobBlock"/>): the platform writes commands into it and reads
/// the answers back.
/// </summary>
internal sealed class ModbusDriver(IPEndPoint endPoint, IReadOnlyList<ModbusPoint> points, bool takesJobs = false) : IMachineDriver, IJobChannel
{
    private readonly ModbusRegisterBank _bank = new(coils: 64, discreteInputs: 0, inputRegisters: 0, holdingRegisters: 128);
    private ModbusTcpServer? _server;

    public Protocol Protocol => Protocol.Modbus;

    public IPEndPoint EndPoint => _server?.LocalEndPoint ?? endPoint;

    public long RequestsServed => _server?.RequestsServed ?? 0;

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        var server = new ModbusTcpServer(_bank, endPoint);
        server.Start();
        _server = server;
        return Task.CompletedTask;
    }

    public Task<int> SendAsync(IReadOnlyDictionary<string, object> values, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        foreach (var point in points)
        {
            var value = values[point.Tag] switch
            {
                bool b => b ? 1 : 0,
                var v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture),
            };
            _bank.SetValue(point, value);
        }

        // Nothing crosses the network until the platform polls; the status line counts those polls instead.
        return Task.FromResult(0);
    }

    public bool TryTakeCommand(out byte[] payload)
    {
        payload = takesJobs ? ModbusJobBlock.TakeCommand(_bank) ?? [] : [];
        return payload.Length > 0;
    }

    /// <summary>One answer a poll: the platform's poller sees the registers as they are when it reads them.</summary>
    public Task AnswerAsync(byte[] json, CancellationToken cancellationToken)
    {
        ModbusJobBlock.Answer(_bank, json);
        return Task.CompletedTask;
    }

    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
