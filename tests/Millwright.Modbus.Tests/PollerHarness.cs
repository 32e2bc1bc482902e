using System.Threading.Channels;
using Millwright.Reconnect;

namespace Millwright.Modbus.Tests;

/// <summary>Runs a poller on a manual clock and hands its readings and statuses to the test as they come.</summary>
internal sealed class PollerHarness : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Channel<ModbusReading> _readings = Channel.CreateUnbounded<ModbusReading>();
    private readonly Channel<ModbusStatus> _statuses = Channel.CreateUnbounded<ModbusStatus>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public PollerHarness(ModbusMachine machine, ManualClock clock, BackoffPolicy? backoff = null)
    {
        Clock = clock;
        var poller = new ModbusPoller(machine, _readings.Writer, _statuses.Writer, clock, backoff ?? new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 0, TimeSpan.FromSeconds(30)), new Random(1));
        _run = Task.Run(() => poller.RunAsync(_stop.Token));
    }

    public ManualClock Clock { get; }

    public Task<ModbusReading> NextReadingAsync() => _readings.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public Task<ModbusStatus> NextStatusAsync() => _statuses.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public bool TryReadStatus(out ModbusStatus? status) => _statuses.Reader.TryRead(out status);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(Patience);
        _stop.Dispose();
    }
}
