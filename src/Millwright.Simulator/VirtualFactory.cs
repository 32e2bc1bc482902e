using System.Net;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;

namespace Millwright.Simulator;

/// <summary>
/// The running factory: one model, one driver and one runner per provisioned machine, all on one clock.
/// Machine i is seeded with seed × 100,003 + i, so a seed replays the whole floor. With a <see cref="JobMode"/>
/// the machines of kinds that make units take the platform's jobs, over each protocol's command channel (MQTT
/// cmd topic, Sparkplug B NCMD, a Modbus job block, an OPC UA method call); excavators keep cycling on their own.
/// </summary>
internal sealed class VirtualFactory
{
    private readonly List<MachineRunner> _runners = [];
    private readonly TimeProvider _time;

    public VirtualFactory(IReadOnlyList<ProvisionedMachine> machines, BrokerAddress broker, IPAddress modbusAddress, TimeSpan interval, int seed, TimeProvider time,
        JobMode? jobs = null, ProvisionedMeter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(machines);
        _time = time;
        for (var i = 0; i < machines.Count; i++)
        {
            var m = machines[i];
            var machineSeed = unchecked((seed * 100_003) + i);
            var site = m.Plan.Site == FleetPlan.JobSite ? Provisioner.JobSiteLocation : Provisioner.FactoryLocation;
            var model = MachineFactory.Create(m.Plan.Kind, m.Name, machineSeed, time, site.Latitude, site.Longitude);
            IMachineDriver driver = m.Protocol switch
            {
                Protocol.Sparkplug => new SparkplugDriver(broker, m.Name, m.Username, m.Secret, model.Definition, time, jobs is not null && model.TakeJobs(jobs.MeanTimeBetweenFailures)),
                Protocol.Modbus => new ModbusDriver(new IPEndPoint(modbusAddress, m.ModbusPort), ModbusMap.For(model.Definition),
                    jobs is not null && model.TakeJobs(jobs.MeanTimeBetweenFailures)),
                Protocol.OpcUa => new OpcUaDriver(new IPEndPoint(modbusAddress, m.ModbusPort), [.. model.Definition.Tags.Select(t => t.Name)], jobs is not null && model.TakeJobs(jobs.MeanTimeBetweenFailures)),
                _ => new MqttJsonDriver(broker, m.Name, m.Username, m.Secret, jobs is not null && model.TakeJobs(jobs.MeanTimeBetweenFailures)),
            };
            TakingJobs += model.TakesJobs ? 1 : 0;
            if (model is EmbroideryMachine embroidery && jobs?.Pace is { } pace)
            {
                embroidery.Pace = pace;
            }

            if (model is GarmentStation station && jobs?.Tailoring is { } tailoring)
            {
                station.Pace = tailoring;
            }

            var designs = model.TakesJobs && model.SewsDesigns && jobs?.Platform is { } platform ? new DesignFetcher(platform, m.Username, m.Secret) : null;
            var patterns = model.TakesJobs && model.CutsMarkers && jobs?.Platform is { } home ? new PatternFetcher(home, m.Username, m.Secret) : null;
            Stats.AddMachine(m.Protocol, model.State);
            model.StateChanged += (_, from, to) => Stats.StateChanged(from, to);
            var runner = new MachineRunner(model, driver, Stats, time, interval, machineSeed, designs, patterns);
            if (meter is not null && meter.MeasuredId == m.Id)
            {
                runner.Meter = Meter = new PowerMeter(meter.Name, new IPEndPoint(modbusAddress, meter.ModbusPort), machineSeed ^ 0x5eed);
            }

            _runners.Add(runner);
        }
    }

    public SimulatorStats Stats { get; } = new();

    /// <summary>Machines waiting for or running the platform's jobs.</summary>
    public int TakingJobs { get; }

    public IReadOnlyList<MachineRunner> Runners => _runners;

    /// <summary>The power meter on one machine's supply, served over Modbus (null without one).</summary>
    public PowerMeter? Meter { get; }

    /// <summary>Requests the platform (or anyone) made to the simulated Modbus servers.</summary>
    public long ModbusPolls => _runners.Select(r => r.Driver).OfType<ModbusDriver>().Sum(d => d.RequestsServed) + (Meter?.RequestsServed ?? 0);

    /// <summary>Runs every machine until cancelled; each one reconnects on its own after a loss.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Meter?.Start();
        try
        {
            await Task.WhenAll(_runners.Select(r => Task.Run(() => r.RunAsync(cancellationToken), CancellationToken.None)));
        }
        finally
        {
            if (Meter is not null)
            {
                await Meter.DisposeAsync();
            }
        }
    }

    /// <summary>One line for a terminal: connections per protocol, messages and their rate, machines per state.</summary>
    public string StatusLine(long messagesBefore, TimeSpan over)
    {
        var s = Stats;
        var rate = over > TimeSpan.Zero ? (s.Messages - messagesBefore) / over.TotalSeconds : 0;
        var error = s.LastError is { } e && Enum.GetValues<Protocol>().Sum(p => s.Connected(p)) < _runners.Count
            ? $" | last error: {e}" : "";
        var modbus = s.Machines(Protocol.Modbus) > 0 ? $" | modbus polls {ModbusPolls}" : "";
        var jobs = TakingJobs == 0 ? ""
            : $" | jobs accepted {s.Answers(JobStatus.Accepted)} completed {s.Answers(JobStatus.Completed)}"
                + $" rejected {s.Answers(JobStatus.Rejected)} cancelled {s.Answers(JobStatus.Cancelled)}"
                + (s.CommandsIgnored > 0 ? $" ignored {s.CommandsIgnored}" : "");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{_time.GetLocalNow():HH:mm:ss} connected json {s.Connected(Protocol.MqttJson)}/{s.Machines(Protocol.MqttJson)}"
            + $" sparkplug {s.Connected(Protocol.Sparkplug)}/{s.Machines(Protocol.Sparkplug)} modbus {s.Connected(Protocol.Modbus)}/{s.Machines(Protocol.Modbus)}"
            + $" opcua {s.Connected(Protocol.OpcUa)}/{s.Machines(Protocol.OpcUa)}"
            + $" | sent {s.Messages} ({rate:0.0}/s) | running {s.InState(MachineState.Running)} idle {s.InState(MachineState.Idle)}"
            + $" setup {s.InState(MachineState.Setup)} down {s.InState(MachineState.Down)}{jobs}{modbus}{error}");
    }
}
