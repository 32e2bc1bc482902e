using System.Globalization;
using System.Net;
using Millwright.Modbus;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// A three-phase power meter on one simulated machine's supply, served as a Modbus TCP server with the platform's
/// "power-meter" register map (<see cref="PowerMeterMap.FloatRegisters"/>): it reads the power the machine draws each time
/// the machine's runner ticks (on that runner's thread, so it never races the model) and integrates it into its own
/// kWh register, the way a real meter counts, with mains voltage, frequency and power factor around their nominal values.
/// </summary>
internal sealed class PowerMeter(string name, IPEndPoint endPoint, int seed) : IAsyncDisposable
{
    private const double Nominal = 230;
    private readonly ModbusRegisterBank _bank = new(coils: 0, discreteInputs: 0, inputRegisters: 80, holdingRegisters: 0);
    private readonly Random _random = new(seed);
    private ModbusTcpServer? _server;
    private DateTimeOffset? _last;
    private double _kwh;

    public string Name => name;

    public IPEndPoint EndPoint => _server?.LocalEndPoint ?? endPoint;

    /// <summary>The total the meter has counted (its energy register).</summary>
    public double Kwh => _kwh;

    public long RequestsServed => _server?.RequestsServed ?? 0;

    public void Start()
    {
        var server = new ModbusTcpServer(_bank, endPoint);
        server.Start();
        _server = server;
        Write(0);
    }

    /// <summary>Takes the machine's values at <paramref name="now"/>: its "power" tag in kW (none or no number: nothing drawn).</summary>
    public void Measure(IReadOnlyDictionary<string, object> values, DateTimeOffset now)
    {
        var kw = values.TryGetValue("power", out var p) && p is IConvertible c ? Math.Max(0, c.ToDouble(CultureInfo.InvariantCulture)) : 0;
        if (_last is { } last && now > last)
        {
            // The machine held this power since the last tick, closely enough at a tick a second.
            _kwh += kw * (now - last).TotalHours;
        }

        _last = now;
        Write(kw);
    }

    private void Write(double kw)
    {
        var pf = kw > 0.5 ? 0.9 + (0.05 * _random.NextDouble()) : 0.4 + (0.2 * _random.NextDouble());
        var volts = Nominal + (2 * (_random.NextDouble() - 0.5));
        Set("voltage", volts);
        Set("current", kw * 1000 / (3 * volts * pf));
        Set("power", kw);
        Set("power_factor", pf);
        Set("frequency", 50 + (0.04 * (_random.NextDouble() - 0.5)));
        Set("energy", _kwh);
    }

    private void Set(string tag, double value) => _bank.SetValue(PowerMeterMap.FloatRegisters.Single(p => p.Tag == tag), value);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }
}
