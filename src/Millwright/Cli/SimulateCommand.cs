using System.CommandLine;
using System.Globalization;
using System.Net;
using Millwright.Hosting;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Provisioning;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright simulate</c>: provisions a virtual factory through the REST API, then runs it against the
/// broker until Ctrl+C, with a one-line status every second.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var machines = new Option<int>("--machines") { Description = "How many machines to simulate", DefaultValueFactory = _ => 200 };
        machines.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000)
            {
                r.AddError("--machines: between 1 and 10000");
            }
        });
        var target = EndPointOption.Create("--target", "The platform's MQTT address, host:port", ServeOptions.DefaultMqtt);
        var api = new Option<string>("--api") { Description = "The platform's HTTP address", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        api.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                r.AddError("--api: an http:// or https:// address, for example http://127.0.0.1:5080");
            }
        });
        var key = new Option<string?>("--key") { Description = "A tenant admin or operator API key of the tenant to fill" };
        var keyFile = new Option<FileInfo?>("--tenant-key-file") { Description = "Read the key from this file instead (demo writes data/demo-tenant-admin.key)" };
        var tenant = new Option<string>("--tenant") { Description = "The key's tenant slug: the first level of the machines' topics", DefaultValueFactory = _ => "acme" };
        var interval = new Option<string>("--interval") { Description = "Time between a machine's messages: 500ms, 1s, 1m", DefaultValueFactory = _ => "1s" };
        interval.Validators.Add(r =>
        {
            if (ParseInterval(r.GetValueOrDefault<string>() ?? "") is null)
            {
                r.AddError("--interval: a duration such as 500ms, 1s, 2.5s or 1m, at least 10ms");
            }
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the machines' randomness; the same seed replays the same floor", DefaultValueFactory = _ => 1 };
        var modbusPort = new Option<int>("--modbus-port") { Description = "First loopback port of the simulated Modbus and OPC UA servers, one per such machine", DefaultValueFactory = _ => 15020 };
        var takeJobs = new Option<bool>("--take-jobs") { Description = "MQTT JSON and Sparkplug B machines (not excavators) wait for the platform's jobs (cmd topic, NCMD) instead of cycling on their own" };
        var tailoring = new Option<int>("--tailoring-cell")
        {
            Description = "Add the tailoring cell with this many sewing stations (and a cutter and a finishing station) for made-to-measure orders; 0: none",
            DefaultValueFactory = _ => 0,
        };
        tailoring.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 50)
            {
                r.AddError("--tailoring-cell: between 0 and 50 sewing stations");
            }
        });
        var mtbf = new Option<string?>("--mtbf") { Description = "Mean time between failures of the job-taking machines, e.g. 10m, so a demo shows breakdowns (repairs shrink alike); needs --take-jobs" };
        mtbf.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && ParseDuration(text, TimeSpan.FromSeconds(10), TimeSpan.FromDays(30)) is null)
            {
                r.AddError("--mtbf: a duration from 10s to 30 days, such as 90s, 10m or 2h");
            }
        });

        var fleet = new Option<int?>("--fleet") { Description = "Simulate a fleet of N mobile machines instead (1..1000000): depots and job sites across a country, one gateway connection per depot (Sparkplug B), AEMP elements as telemetry" };
        fleet.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 1_000_000)
            {
                r.AddError("--fleet: between 1 and 1000000");
            }
        });
        var report = new Option<string>("--report") { Description = "With --fleet: time between a machine's reports, e.g. 30s", DefaultValueFactory = _ => "30s" };
        report.Validators.Add(r =>
        {
            if (ParseDuration(r.GetValueOrDefault<string>() ?? "", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) is null)
            {
                r.AddError("--report: a duration from 1s to 1h, such as 30s or 5m");
            }
        });
        var command = new Command("simulate", "Run a virtual factory of simulated machines that speak MQTT JSON, Sparkplug B, Modbus TCP and OPC UA to the platform");
        foreach (var option in new Option[] { machines, target, api, key, keyFile, tenant, interval, seed, modbusPort, takeJobs, mtbf, tailoring, fleet, report })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var apiKey = result.GetValue(key);
            if (result.GetValue(keyFile) is { } file)
            {
                if (!file.Exists)
                {
                    await Console.Error.WriteLineAsync($"simulate: key file {file.FullName} does not exist");
                    return ExitCodes.Usage;
                }

                apiKey = await KeyFile.ReadAsync(file.FullName);
            }

            if (string.IsNullOrWhiteSpace(apiKey))
            {
                await Console.Error.WriteLineAsync("simulate: give the tenant's API key with --key or --tenant-key-file");
                return ExitCodes.Usage;
            }

            if (result.GetValue(fleet) is { } fleetSize)
            {
                var broker = EndPointOption.Read(result, target);
                return await SimulateFleet.RunAsync(fleetSize, new BrokerAddress(broker.Address.ToString(), broker.Port, result.GetValue(tenant)!), new Uri(result.GetValue(api)!), apiKey,
                    ParseDuration(result.GetValue(report)!, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))!.Value, result.GetValue(seed), Console.Out, Console.Error, ct);
            }

            var failureMean = result.GetValue(mtbf) is { } text ? ParseDuration(text, TimeSpan.FromSeconds(10), TimeSpan.FromDays(30)) : null;
            if (failureMean is not null && !result.GetValue(takeJobs))
            {
                await Console.Error.WriteLineAsync("simulate: --mtbf applies to the machines that take jobs; add --take-jobs");
                return ExitCodes.Usage;
            }

            var endPoint = EndPointOption.Read(result, target);
            var arguments = new SimulateArguments(result.GetValue(machines), new BrokerAddress(endPoint.Address.ToString(), endPoint.Port, result.GetValue(tenant)!),
                new Uri(result.GetValue(api)!), apiKey, ParseInterval(result.GetValue(interval)!)!.Value, result.GetValue(seed), result.GetValue(modbusPort),
                result.GetValue(takeJobs) ? new JobMode(failureMean) : null, result.GetValue(tailoring));
            return await RunAsync(arguments, Console.Out, Console.Error, ct);
        });
        return command;
    }

    /// <summary>The exit code of a provisioning failure: the key refused, the platform silent, or a request refused.</summary>
    internal static int ExitCodeOf(ProvisioningFailure failure) => failure switch
    {
        ProvisioningFailure.Unauthorized => ExitCodes.Unauthorized,
        ProvisioningFailure.Unreachable => ExitCodes.Unreachable,
        _ => ExitCodes.InvalidInput,
    };

    /// <summary>
    /// Provisions and runs the factory until cancelled. <paramref name="provisioned"/>, if given, runs once the machines
    /// exist on the platform and before any of them connects (demo gives them capabilities there, and its maintenance crew
    /// the factory's machines).
    /// </summary>
    public static async Task<int> RunAsync(SimulateArguments args, TextWriter output, TextWriter errors, CancellationToken cancellationToken,
        Func<IReadOnlyList<ProvisionedMachine>, VirtualFactory, CancellationToken, Task>? provisioned = null)
    {
        VirtualFactory factory;
        IReadOnlyList<ProvisionedMachine> machines;
        try
        {
            using var api = PlatformApi.Create(args.Api, args.Key);
            var provisioner = new Provisioner(api, line => output.WriteLine($"simulate: {line}"));
            machines = await provisioner.ProvisionAsync(args.Plan(), "127.0.0.1", args.ModbusBasePort, cancellationToken);
            await BrokerProbe.CheckAsync(args.Broker, args.Key, cancellationToken);
            // The power meter takes the port after the Modbus and OPC UA machines' ports.
            var meter = await provisioner.ProvisionMeterAsync(machines, "127.0.0.1", args.ModbusBasePort + machines.Count(m => m.Protocol is Protocol.Modbus or Protocol.OpcUa), cancellationToken);
            // Embroidery machines fetch their designs, and the cutter its markers, from the platform they were provisioned on.
            factory = new VirtualFactory(machines, args.Broker, IPAddress.Loopback, args.Interval, args.Seed, TimeProvider.System, args.Jobs is { } mode ? mode with { Platform = mode.Platform ?? args.Api } : null, meter);
        }
        catch (ProvisioningException e)
        {
            await errors.WriteLineAsync($"simulate: {e.Message}");
            return ExitCodeOf(e.Failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        if (provisioned is not null)
        {
            await provisioned(machines, factory, cancellationToken);
        }

        var cell = args.SewingStations > 0 ? $" and the tailoring cell (cutter, {args.SewingStations} sewing stations, finishing)" : "";
        await output.WriteLineAsync($"simulate: {args.Machines} machines{cell} of tenant '{args.Broker.Tenant}' → mqtt {args.Broker.Host}:{args.Broker.Port}, every {args.Interval.TotalSeconds:0.###}s; Ctrl+C stops");
        if (args.Jobs is { } jobs)
        {
            var failures = jobs.MeanTimeBetweenFailures is { } m ? $", a breakdown every {m.TotalMinutes:0.#} min of running on average" : "";
            await output.WriteLineAsync($"simulate: {factory.TakingJobs} machines take jobs on mw/{args.Broker.Tenant}/{{machine}}/cmd{failures}");
        }
        var running = factory.RunAsync(cancellationToken);
        await ReportAsync(factory, output, cancellationToken);
        await running;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"simulate: stopped after {factory.Stats.Messages} messages");
        return ExitCodes.Ok;
    }

    /// <summary>One status line a second: rewritten in place on a terminal, one per line when redirected.</summary>
    private static async Task ReportAsync(VirtualFactory factory, TextWriter output, CancellationToken cancellationToken)
    {
        var inPlace = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var before = 0L;
        var last = TimeProvider.System.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = TimeProvider.System.GetTimestamp();
                var line = factory.StatusLine(before, TimeProvider.System.GetElapsedTime(last, now));
                (before, last) = (factory.Stats.Messages, now);
                await output.WriteAsync(inPlace ? $"\r{line}\u001b[K" : line + Environment.NewLine);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C.
        }
    }

    /// <summary>"500ms", "1s", "2.5s", "1m"; a bare number is seconds. Null when not a duration of 10 ms to an hour.</summary>
    internal static TimeSpan? ParseInterval(string text) => ParseDuration(text, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));

    /// <summary>"500ms", "1s", "2.5s", "1m", "2h"; a bare number is seconds. Null when not a duration within min..max.</summary>
    internal static TimeSpan? ParseDuration(string text, TimeSpan min, TimeSpan max)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : text.EndsWith('h') ? (text[..^1], 3_600_000.0)
            : (text, 1000.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value * unit >= min.TotalMilliseconds && value * unit <= max.TotalMilliseconds
            ? TimeSpan.FromMilliseconds(value * unit)
            : null;
    }
}
