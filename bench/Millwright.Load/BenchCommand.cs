using System.CommandLine;
using Millwright.Cli;
using Millwright.Mqtt;

namespace Millwright.Bench;

/// <summary>The benchmarks of <c>millwright bench</c>: load generators for whole-system benchmarks (see bench/ and docs/benchmarks.md).</summary>
internal static class BenchCommand
{
    /// <summary>One command per benchmark; a new benchmark adds its command here.</summary>
    public static IEnumerable<Command> Benchmarks() => [Mqtt(), Ingest(), Storage(), Production(), Replan(), Anomaly(), Maintenance(), KnnLoad.Command(), CollabLoad.Command(), Fleet(), FleetIngest(), SharingRanking(), Sharing(), Cluster.ClusterLoad.Command()];

    private static Command Anomaly()
    {
        var series = new Option<int>("--series") { Description = "Series, each with its own detector", DefaultValueFactory = _ => 100_000 };
        var seconds = new Option<int>("--seconds") { Description = "Simulated seconds of 1 Hz readings per series", DefaultValueFactory = _ => 120 };
        var command = new Command("anomaly", "The anomaly detector alone: sustained readings/s for many series at 1 Hz, memory per series");
        command.Options.Add(series);
        command.Options.Add(seconds);
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(series) is < 1 or > 10_000_000 || result.GetValue(seconds) is < 1 or > 100_000)
            {
                await Console.Error.WriteLineAsync("millwright: --series 1..10000000, --seconds 1..100000");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync(AnomalyLoad.Run(result.GetValue(series), result.GetValue(seconds), Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Maintenance()
    {
        var days = new Option<int>("--days") { Description = "Plant days simulated under each policy", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fleet (the same under every policy)", DefaultValueFactory = _ => 1 };
        var acceptable = new Option<double>("--acceptable")
        {
            Description = "Accepted chance of failing before maintenance (the predictive policy's deadline); the platform's default unless given",
            DefaultValueFactory = _ => new Learning.Risk.RiskOptions().Acceptable,
        };
        var renewal = new Option<double?>("--renewal-cost")
        {
            Description = "Decide by cost instead: what a maintenance stop costs wherever it lies, in production hours (2 is the platform's stop length)",
        };
        var deadlineOnly = new Option<bool>("--deadline-only")
        {
            Description = "The predictive policy without opportunistic renewal during repairs (the default until 2026-12-07)",
        };
        var noOrders = new Option<bool>("--no-orders")
        {
            Description = "Without customer orders: every machine cycles on its own (the bench before 2026-12-07 10:00)",
        };
        var command = new Command("maintenance", "Run-to-failure, fixed-interval and predictive maintenance on the same wearing fleet: breakdowns, downtime, stops");
        command.Options.Add(days);
        command.Options.Add(seed);
        command.Options.Add(acceptable);
        command.Options.Add(renewal);
        command.Options.Add(deadlineOnly);
        command.Options.Add(noOrders);
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(days) is < 1 or > 365 || result.GetValue(acceptable) is not (> 0 and < 1) || result.GetValue(renewal) is (<= 0 or > 1_000) or double.NaN)
            {
                await Console.Error.WriteLineAsync("millwright: --days 1..365, --acceptable between 0 and 1, --renewal-cost above 0 and at most 1000 (hours)");
                return ExitCodes.Usage;
            }

            var options = new Learning.Risk.RiskOptions { Acceptable = result.GetValue(acceptable) };
            if (result.GetValue(renewal) is { } hours)
            {
                options = options with { RenewalCost = hours };
            }

            await Console.Out.WriteLineAsync(MaintenanceLoad.Run(result.GetValue(days), result.GetValue(seed), options, result.GetValue(renewal) is not null, !result.GetValue(deadlineOnly), Console.Error.WriteLine, ct, !result.GetValue(noOrders)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command FleetIngest()
    {
        var machines = new Option<int>("--machines") { Description = "Fleet machines, 1,000 to a depot gateway", DefaultValueFactory = _ => 100_000 };
        var report = new Option<string>("--report") { Description = "Time between a machine's reports", DefaultValueFactory = _ => "30s" };
        var duration = new Option<string>("--duration") { Description = "Measured time after the warm-up (every machine born and reported once)", DefaultValueFactory = _ => "60s" };
        var store = new Option<string>("--store") { Description = "sqlite or postgres", DefaultValueFactory = _ => "sqlite" };
        var db = new Option<string?>("--db") { Description = "PostgreSQL connection string (a fresh database is made in it) for --store postgres" };
        var seed = new Option<int>("--seed") { Description = "Seed of the fleet", DefaultValueFactory = _ => 1 };
        var command = new Command("fleet-ingest", "A fleet reporting through depot gateways: publish → stored latency, then the AEMP fleet snapshot's time");
        foreach (var option in new Option[] { machines, report, duration, store, db, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var every = SimulateCommand.ParseDuration(result.GetValue(report)!, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
            var measure = SimulateCommand.ParseDuration(result.GetValue(duration)!, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
            if (result.GetValue(machines) is < 1 or > 1_000_000 || every is null || measure is null || result.GetValue(store) is not ("sqlite" or "postgres")
                || (result.GetValue(store) == "postgres" && string.IsNullOrEmpty(result.GetValue(db))))
            {
                await Console.Error.WriteLineAsync("millwright: --machines 1..1000000, --report 1s..1h, --duration 5s..1h, --store sqlite|postgres (postgres needs --db)");
                return ExitCodes.Usage;
            }

            var settings = new FleetIngestLoad.Settings(result.GetValue(store)!, result.GetValue(db), result.GetValue(machines), every.Value, measure.Value, result.GetValue(seed));
            await Console.Out.WriteLineAsync(await FleetIngestLoad.RunAsync(settings, Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Fleet()
    {
        var requests = new Option<int>("--requests") { Description = "Job-site requests, one machine each, all ranges sharing a day", DefaultValueFactory = _ => 1000 };
        var machines = new Option<int>("--machines") { Description = "Fleet machines over the country, five categories", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fleet and the requests", DefaultValueFactory = _ => 1 };
        var command = new Command("fleet", "Exact allocation of machines to job-site requests against a nearest-first baseline");
        command.Options.Add(requests);
        command.Options.Add(machines);
        command.Options.Add(seed);
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(requests) is < 1 or > 100_000 || result.GetValue(machines) is < 1 or > 1_000_000)
            {
                await Console.Error.WriteLineAsync("millwright: --requests 1..100000, --machines 1..1000000");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync(FleetLoad.Run(result.GetValue(requests), result.GetValue(machines), result.GetValue(seed), Console.Error.WriteLine));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Production()
    {
        var machines = new Option<int>("--machines") { Description = "Machines, a quarter for each of four capabilities", DefaultValueFactory = _ => 40 };
        var orders = new Option<int>("--orders") { Description = "Released orders, four operations each", DefaultValueFactory = _ => 200 };
        var breakdowns = new Option<int>("--breakdowns") { Description = "Machines broken down one after another while they hold a job", DefaultValueFactory = _ => 20 };
        var planTime = new Option<string>("--plan-time") { Description = "The scheduler's time per plan: 2s, 500ms", DefaultValueFactory = _ => "2s" };
        var seed = new Option<int>("--seed") { Description = "Seed of the shop, the orders and the breakdowns", DefaultValueFactory = _ => 1 };
        var command = new Command("production", "Plan, dispatch and re-plan on breakdowns: first plan, tardiness against a dispatching rule, breakdown-to-re-plan latency");
        foreach (var option in new Option[] { machines, orders, breakdowns, planTime, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (SimulateCommand.ParseInterval(result.GetValue(planTime)!) is not { } plan || plan < TimeSpan.FromMilliseconds(50) || plan > TimeSpan.FromMinutes(5)
                || result.GetValue(machines) is < 4 or > 1000 || result.GetValue(orders) is < 1 or > 10_000 || result.GetValue(breakdowns) is < 0 or > 1000)
            {
                await Console.Error.WriteLineAsync("millwright: --machines 4..1000, --orders 1..10000, --breakdowns 0..1000, --plan-time 50ms..5m");
                return ExitCodes.Usage;
            }

            var settings = new ProductionLoad.Settings(result.GetValue(machines), result.GetValue(orders), result.GetValue(breakdowns), plan, result.GetValue(seed));
            await Console.Out.WriteLineAsync(await ProductionLoad.RunAsync(settings, Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Replan()
    {
        var machines = new Option<int>("--machines") { Description = "Machines, a quarter for each of four capabilities", DefaultValueFactory = _ => 20 };
        var orders = new Option<int>("--orders") { Description = "Orders open at the start (more arrive, about one in 20 minutes)", DefaultValueFactory = _ => 40 };
        var hours = new Option<int>("--hours") { Description = "Simulated hours", DefaultValueFactory = _ => 8 };
        var iterations = new Option<int>("--iterations") { Description = "Search steps per plan (fixed, so the figures repeat)", DefaultValueFactory = _ => 4000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the shop, orders, paces and breakdowns", DefaultValueFactory = _ => 1 };
        var command = new Command("replan", "Churn: jobs moved per re-plan and weighted tardiness on a simulated day, without and with plan stability");
        foreach (var option in new Option[] { machines, orders, hours, iterations, seed })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(machines) is < 4 or > 400 || result.GetValue(orders) is < 1 or > 2000 || result.GetValue(hours) is < 1 or > 72
                || result.GetValue(iterations) is < 0 or > 10_000_000)
            {
                await Console.Error.WriteLineAsync("millwright: --machines 4..400, --orders 1..2000, --hours 1..72, --iterations 0..10000000");
                return ExitCodes.Usage;
            }

            var settings = new ReplanLoad.Settings(result.GetValue(machines), result.GetValue(orders), result.GetValue(hours), result.GetValue(iterations), result.GetValue(seed));
            await Console.Out.WriteLineAsync(ReplanLoad.Run(settings, Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sharing()
    {
        var enterprises = new Option<int>("--enterprises") { Description = "Small and medium enterprises in the region", DefaultValueFactory = _ => 30 };
        var days = new Option<int>("--days") { Description = "Days of demand", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Seed of the region and its demand", DefaultValueFactory = _ => 1 };
        var load = new Option<double>("--load") { Description = "Mean demand as a share of each enterprise's own capacity", DefaultValueFactory = _ => 0.75 };
        var peak = new Option<double>("--peak") { Description = "Extra demand during a peak (1.5: 2.5 times the rate)", DefaultValueFactory = _ => 1.5 };
        var distance = new Option<double>("--distance") { Description = "Furthest a buyer lets work go, km", DefaultValueFactory = _ => 150 };
        var command = new Command("sharing", "Shared manufacturing: a region of enterprises alone and sharing idle machine time through the marketplace's matcher");
        foreach (var option in new Option[] { enterprises, days, seed, load, peak, distance })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(enterprises) is < 2 or > 1000 || result.GetValue(days) is < 1 or > 365 || result.GetValue(load) is not (> 0 and <= 3)
                || result.GetValue(peak) is not (>= 0 and <= 10) || result.GetValue(distance) is not (> 0 and <= 5000))
            {
                await Console.Error.WriteLineAsync("millwright: --enterprises 2..1000, --days 1..365, --load above 0 up to 3, --peak 0..10, --distance above 0 up to 5000");
                return ExitCodes.Usage;
            }

            var settings = new SharingRegion.Settings(result.GetValue(enterprises), result.GetValue(days), result.GetValue(seed), result.GetValue(load),
                result.GetValue(peak), result.GetValue(distance));
            await Console.Out.WriteLineAsync(SharingRegion.Run(settings, Console.Error.WriteLine));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SharingRanking()
    {
        var requests = new Option<int>("--requests") { Description = "Requests, each ranked on its own", DefaultValueFactory = _ => 1000 };
        var offers = new Option<int>("--offers") { Description = "Offers with two weeks of idle windows each", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the offers and requests", DefaultValueFactory = _ => 1 };
        var command = new Command("sharing-rank", "Shared manufacturing: screen, quote and rank requests against offers with their idle windows");
        command.Options.Add(requests);
        command.Options.Add(offers);
        command.Options.Add(seed);
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(requests) is < 1 or > 100_000 || result.GetValue(offers) is < 1 or > 1_000_000)
            {
                await Console.Error.WriteLineAsync("millwright: --requests 1..100000, --offers 1..1000000");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync(SharingRank.Run(result.GetValue(requests), result.GetValue(offers), result.GetValue(seed), Console.Error.WriteLine));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Storage()
    {
        var store = new Option<string>("--store") { Description = "sqlite or postgres (a fresh database on --db)", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var db = new Option<string?>("--db") { Description = "Npgsql connection string of a PostgreSQL server where the bench may create and drop a database" };
        var machines = new Option<int>("--machines") { Description = "Simulated machines (the virtual factory's kinds in turn)", DefaultValueFactory = _ => 200 };
        var hours = new Option<double>("--hours") { Description = "Hours of machine time at 1 Hz", DefaultValueFactory = _ => 1 };
        var command = new Command("storage", "Bytes per point on disk after hours of the virtual factory's telemetry, written through the time-series store");
        foreach (var option in new Option[] { store, db, machines, hours })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(store) == "postgres" && result.GetValue(db) is null)
            {
                await Console.Error.WriteLineAsync("millwright: --store postgres needs --db with a connection string");
                return ExitCodes.Usage;
            }

            if (result.GetValue(machines) is < 1 or > 10_000 || result.GetValue(hours) is not (> 0 and <= 24))
            {
                await Console.Error.WriteLineAsync("millwright: --machines 1..10000, --hours above 0 up to 24");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync(await StorageLoad.RunAsync(result.GetValue(store)!, result.GetValue(db), result.GetValue(machines), result.GetValue(hours), Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Ingest()
    {
        var store = new Option<string>("--store") { Description = "sqlite (a fresh file in a temp directory) or postgres (a fresh database on --db)", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var db = new Option<string?>("--db") { Description = "Npgsql connection string of a PostgreSQL server where the bench may create and drop a database" };
        var duration = new Option<string>("--duration") { Description = "How long to load: 30s, 2m", DefaultValueFactory = _ => "30s" };
        var devices = new Option<int>("--devices") { Description = "Machines, each with its own MQTT connection and credential", DefaultValueFactory = _ => 100 };
        var tags = new Option<int>("--tags") { Description = "Tags per machine", DefaultValueFactory = _ => 20 };
        var samples = new Option<int>("--samples") { Description = "Samples (one per second of machine time) per message", DefaultValueFactory = _ => 5 };
        var window = new Option<int>("--window") { Description = "QoS 1 publishes a machine keeps in flight", DefaultValueFactory = _ => 16 };
        var rate = new Option<double?>("--rate") { Description = "Cap on points per second offered (default: as fast as acknowledged)" };
        var live = new Option<bool>("--live") { Description = "Watch every machine on the live feed and time publish → WebSocket delivery (run it with --rate at half the maximum)" };
        var anomalies = new Option<string>("--anomalies") { Description = "on: the anomaly detectors watch the float gauges (the default); off: not at all", DefaultValueFactory = _ => "on" };
        anomalies.AcceptOnlyFromAmong("on", "off");
        var command = new Command("ingest", "QoS 1 JSON telemetry over MQTT into the platform on a fresh store: points/s durable, bytes/point, CPU, memory");
        foreach (var option in new Option[] { store, db, duration, devices, tags, samples, window, rate, live, anomalies })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (SimulateCommand.ParseInterval(result.GetValue(duration)!) is not { } time || time < TimeSpan.FromSeconds(5))
            {
                await Console.Error.WriteLineAsync("millwright: --duration must be like 30s or 2m, at least 5s");
                return ExitCodes.Usage;
            }

            var settings = new IngestLoad.Settings(result.GetValue(store)!, result.GetValue(db), time, result.GetValue(devices), result.GetValue(tags),
                result.GetValue(samples), result.GetValue(window), result.GetValue(rate), result.GetValue(live), result.GetValue(anomalies) == "on");
            if (settings.Store == "postgres" && settings.Postgres is null)
            {
                await Console.Error.WriteLineAsync("millwright: --store postgres needs --db with a connection string");
                return ExitCodes.Usage;
            }

            if (settings.Devices is < 1 or > 10_000 || settings.Tags is < 1 or > 500 || settings.Samples is < 1 or > 100 || settings.Window is < 1 or > 1000)
            {
                await Console.Error.WriteLineAsync("millwright: --devices 1..10000, --tags 1..500, --samples 1..100, --window 1..1000");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync(await IngestLoad.RunAsync(settings, Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Mqtt()
    {
        var target = EndPointOption.Create("--target", "The broker under test, host:port", "127.0.0.1:1883");
        var scenario = new Option<string>("--scenario") { Description = "fanin, latency, idle or region", DefaultValueFactory = _ => "fanin" };
        scenario.AcceptOnlyFromAmong("fanin", "latency", "idle", "region");
        var user = new Option<string?>("--user") { Description = "User name every client logs in with (default: anonymous)" };
        var password = new Option<string?>("--password") { Description = "Password every client logs in with" };
        var source = new Option<string?>("--source") { Description = "Local address to connect from, e.g. 127.0.0.2 (region)" };
        var publishing = new Option<int>("--publishing") { Description = "Of the connections, how many publish at QoS 1 once a second (region)", DefaultValueFactory = _ => 0 };
        var publishers = new Option<int>("--publishers") { Description = "Publishing clients", DefaultValueFactory = _ => 100 };
        var qos = new Option<int>("--qos") { Description = "QoS of the fan-in publishes and subscription (0 or 1)", DefaultValueFactory = _ => 0 };
        qos.AcceptOnlyFromAmong("0", "1");
        var payload = new Option<int>("--payload") { Description = "Payload bytes", DefaultValueFactory = _ => 100 };
        var seconds = new Option<int>("--seconds") { Description = "How long to load (fanin, latency) or hold (idle)", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Total publishes per second (latency)", DefaultValueFactory = _ => 10_000 };
        var connections = new Option<int>("--connections") { Description = "Connections to hold (idle, region)", DefaultValueFactory = _ => 10_000 };

        var command = new Command("mqtt", "Fan-in throughput, latency at a rate, idle connections, or a region (many connections, some publishing at 1 Hz) against any MQTT broker");
        foreach (var option in new Option[] { target, scenario, publishers, qos, payload, seconds, rate, connections, user, password, source, publishing })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var endPoint = EndPointOption.Read(result, target);
            var host = endPoint.Address.ToString();
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds));
            MqttLoad.Login = (result.GetValue(user), result.GetValue(password));
            System.Net.IPAddress? from = null;
            if (result.GetValue(source) is { } text && !System.Net.IPAddress.TryParse(text, out from))
            {
                await Console.Error.WriteLineAsync($"millwright: --source '{text}' is not an IP address");
                return ExitCodes.Usage;
            }

            if (result.GetValue(publishing) < 0 || result.GetValue(publishing) > result.GetValue(connections))
            {
                await Console.Error.WriteLineAsync("millwright: --publishing 0..--connections");
                return ExitCodes.Usage;
            }

            var line = result.GetValue(scenario) switch
            {
                "region" => await MqttLoad.RegionAsync(
                    new RegionSettings(host, endPoint.Port, from, result.GetValue(connections), result.GetValue(publishing), duration), Console.Error.WriteLine, ct),
                "latency" => await MqttLoad.LatencyAsync(host, endPoint.Port, result.GetValue(publishers), result.GetValue(rate), duration, ct),
                "idle" => await MqttLoad.IdleAsync(host, endPoint.Port, result.GetValue(connections), duration, Console.Error.WriteLine, ct),
                _ => await MqttLoad.FanInAsync(host, endPoint.Port, result.GetValue(publishers), (QualityOfService)result.GetValue(qos), result.GetValue(payload), duration, ct),
            };
            await Console.Out.WriteLineAsync(line);
            return ExitCodes.Ok;
        });
        return command;
    }
}
