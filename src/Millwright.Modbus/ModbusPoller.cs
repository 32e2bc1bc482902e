using System.Net.Sockets;
using System.Threading.Channels;
using Millwright.Reconnect;

namespace Millwright.Modbus;

/// <summary>
/// Polls one machine's register map at its interval. Readings go to one channel, status changes to another;
/// no failure ends the loop, only cancellation does. A lost connection (refused, timed out, or broken by bytes that
/// are not Modbus TCP) is retried under the shared <see cref="ReconnectBackoff"/>; a device exception response keeps
/// the connection and the normal interval (the device is there, it refused a block).
/// </summary>
/// <remarks>
/// Each wait's timer is created before the result that precedes it is published, so a test that has seen
/// a reading or status can advance a manual clock and know the poller is already waiting on it.
/// </remarks>
public sealed class ModbusPoller
{
    private readonly ModbusMachine _machine;
    private readonly ChannelWriter<ModbusReading> _readings;
    private readonly ChannelWriter<ModbusStatus> _statuses;
    private readonly TimeProvider _time;
    private readonly BackoffPolicy _backoff;
    private readonly Random _random;
    private readonly ModbusConnector? _connector;

    public ModbusPoller(
        ModbusMachine machine,
        ChannelWriter<ModbusReading> readings,
        ChannelWriter<ModbusStatus> statuses,
        TimeProvider? timeProvider = null,
        BackoffPolicy? backoff = null,
        Random? random = null,
        ModbusConnector? connector = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(machine.Interval, TimeSpan.Zero);
        _machine = machine;
        _readings = readings;
        _statuses = statuses;
        _time = timeProvider ?? TimeProvider.System;
        _backoff = backoff ?? BackoffPolicy.Default;
        _random = random ?? Random.Shared;
        _connector = connector;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var client = new ModbusTcpClient(_machine.Host, _machine.Port, _machine.UnitId, _machine.Timeout, _time, _connector);
        var backoff = new ReconnectBackoff(_backoff, _time, _random);
        var refusals = 0;
        var online = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = _time.GetUtcNow();
                ModbusReading? reading = null;
                ModbusStatus? status = null;
                TimeSpan wait;
                try
                {
                    var (values, refusal) = await ReadMapAsync(client, cancellationToken);
                    var now = _time.GetUtcNow();
                    reading = values.Count > 0 ? new ModbusReading(_machine.Key, now, values) : null;
                    wait = _machine.Interval - (now - started);
                    backoff.Healthy();
                    if (refusal is not null)
                    {
                        refusals++;
                        status = new ModbusStatus(_machine.Key, now, ModbusHealth.DeviceException, refusal.Message, refusal.Code, refusals);
                    }
                    else if (!online)
                    {
                        status = new ModbusStatus(_machine.Key, now, ModbusHealth.Online);
                    }

                    online = refusal is null;
                    refusals = online ? 0 : refusals;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    online = false;
                    refusals = 0;
                    client.Disconnect();
                    wait = backoff.Failed();
                    status = new ModbusStatus(_machine.Key, _time.GetUtcNow(), Classify(e), e.Message, null, backoff.Failures, wait);
                }

                var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken);
                if (reading is not null)
                {
                    await _readings.WriteAsync(reading, cancellationToken);
                }

                if (status is not null)
                {
                    await _statuses.WriteAsync(status, cancellationToken);
                }

                await delay;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the only way out of the loop.
        }
    }

    private async Task<(Dictionary<string, double> Values, ModbusDeviceException? Refusal)> ReadMapAsync(ModbusTcpClient client, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        ModbusDeviceException? refusal = null;
        foreach (var block in _machine.Map.Plan)
        {
            try
            {
                var response = await client.ReadBlockAsync(block.Function, block.Address, block.Quantity, cancellationToken);
                if (response.Bits is not null)
                {
                    block.DecodeBits(response.Bits, values);
                }
                else
                {
                    block.DecodeRegisters(response.Registers, values);
                }
            }
            catch (ModbusDeviceException e)
            {
                // One refused block must not hide the others' values.
                refusal ??= e;
            }
        }

        return (values, refusal);
    }

    private static ModbusHealth Classify(Exception e) => e switch
    {
        TimeoutException => ModbusHealth.Timeout,
        IOException or SocketException => ModbusHealth.ConnectionFailed,
        ModbusProtocolException => ModbusHealth.ProtocolError,
        ModbusConnectionDeniedException => ModbusHealth.EgressDenied,
        _ => ModbusHealth.Fault,
    };
}
