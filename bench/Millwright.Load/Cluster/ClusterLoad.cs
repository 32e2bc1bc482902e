using System.CommandLine;
using System.Diagnostics;
using Millwright.Cli;

namespace Millwright.Bench.Cluster;

/// <summary>
/// <c>millwright bench cluster --nodes 3 --kill 1 --seconds 30</c>: the kill -9 scenario on its own. Without --db and
/// --amqp it starts a private PostgreSQL and RabbitMQ in a temp directory, as the test script does.
/// </summary>
internal static class ClusterLoad
{
    public static Command Command()
    {
        var nodes = new Option<int>("--nodes") { Description = "Node processes of the cluster", DefaultValueFactory = _ => 3 };
        var kill = new Option<int>("--kill") { Description = "Nodes killed with SIGKILL at half time (the store's appender first); 0: a throughput run", DefaultValueFactory = _ => 1 };
        var seconds = new Option<int>("--seconds") { Description = "Seconds of publishing", DefaultValueFactory = _ => 30 };
        var devices = new Option<int>("--devices") { Description = "Devices (machines), spread over the nodes", DefaultValueFactory = _ => 30 };
        var rate = new Option<double>("--rate") { Description = "Points per second per device (QoS 1, one reading each); 0: as fast as the window allows", DefaultValueFactory = _ => 20 };
        var warmUp = new Option<int>("--warmup") { Description = "Seconds of sending before the measured time (fresh nodes compile their code meanwhile)", DefaultValueFactory = _ => 10 };
        var pause = new Option<int>("--pause") { Description = "Instead of killing: freeze the appender with SIGSTOP for this many seconds at half time, then SIGCONT", DefaultValueFactory = _ => 0 };
        var restart = new Option<string?>("--restart") { Description = "Instead of killing a node: restart rabbitmq (SIGKILL, then start on its data) or postgres (fast restart) at half time; needs the ones the bench starts (no --db/--amqp)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the temp directory (node logs, data) and print where it is" };
        var window = new Option<int>("--window") { Description = "Unacknowledged publishes a device may have in flight", DefaultValueFactory = _ => 100 };
        var db = new Option<string?>("--db") { Description = "A PostgreSQL server to use (a fresh database is made on it) instead of starting one" };
        var amqp = new Option<string?>("--amqp") { Description = "A RabbitMQ broker to use (amqp://...) instead of starting one" };
        var command = new Command("cluster", "Nodes on PostgreSQL and RabbitMQ, devices over them, kill -9 under load: acknowledged points stored exactly once, takeover time");
        foreach (var option in new Option[] { nodes, kill, pause, restart, keep, seconds, warmUp, devices, rate, window, db, amqp })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var settings = new ClusterScenario.Settings(result.GetValue(nodes), result.GetValue(kill), TimeSpan.FromSeconds(result.GetValue(seconds)),
                result.GetValue(devices), result.GetValue(rate), result.GetValue(window))
            {
                WarmUp = TimeSpan.FromSeconds(result.GetValue(warmUp)),
                Pause = TimeSpan.FromSeconds(result.GetValue(pause)),
            };
            if (settings.Nodes is < 1 or > 8 || settings.Kill < 0 || settings.Kill >= settings.Nodes || settings.Duration < TimeSpan.FromSeconds(4)
                || settings.Devices is < 1 or > 10_000 || settings.Rate is < 0 or > 10_000 || settings.Window is < 1 or > 65_000 || settings.WarmUp < TimeSpan.Zero || settings.Pause < TimeSpan.Zero || (settings.Pause > TimeSpan.Zero && settings.Nodes < 2)
                || result.GetValue(restart) is not (null or "rabbitmq" or "postgres") || (result.GetValue(restart) is not null && (result.GetValue(db) is not null || result.GetValue(amqp) is not null)))
            {
                await Console.Error.WriteLineAsync("millwright: --nodes 1..8, --kill 0..nodes-1, --seconds 4 or more, --devices 1..10000, --rate 0..10000, --window 1..65000, --warmup 0 or more, --pause 0 or more (with 2 nodes or more), --restart rabbitmq|postgres (without --db and --amqp)");
                return ExitCodes.Usage;
            }

            var outcome = await RunAsync(settings, result.GetValue(db), result.GetValue(amqp), result.GetValue(restart), result.GetValue(keep), ct);
            foreach (var line in outcome.Details())
            {
                await Console.Out.WriteLineAsync(line);
            }

            await Console.Out.WriteLineAsync(outcome.Summary);
            return outcome.Lost == 0 && outcome.Duplicates == 0 ? ExitCodes.Ok : 1;
        });
        return command;
    }

    private static async Task<ClusterOutcome> RunAsync(ClusterScenario.Settings settings, string? db, string? amqp, string? restart, bool keep, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mw-cluster-bench-").FullName;
        var clock = Stopwatch.StartNew();
        void Progress(string line) => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1} s] {line}");
        LocalRabbitMq? rabbit = null;
        LocalPostgres? postgres = null;
        try
        {
            // RabbitMQ boots in the background while PostgreSQL starts.
            var booting = amqp is null ? LocalRabbitMq.StartAsync(directory, ct) : null;
            if (db is null)
            {
                postgres = await LocalPostgres.StartAsync(directory, ct);
                Progress("PostgreSQL started");
            }

            if (booting is not null)
            {
                rabbit = await booting;
                Progress("RabbitMQ started");
            }

            settings = restart switch
            {
                "rabbitmq" => settings with { Trouble = ("RabbitMQ", (_, token) => rabbit!.RestartAsync(token)) },
                "postgres" => settings with { Trouble = ("PostgreSQL", (_, token) => postgres!.RestartAsync(token)) },
                _ => settings,
            };
            await using var database = await FreshPostgres.CreateAsync(db ?? postgres!.ConnectionString, ct);
            return await ClusterScenario.RunAsync(settings, database.ConnectionString, rabbit?.Uri ?? new Uri(amqp!), directory, Progress, ct);
        }
        finally
        {
            if (rabbit is not null)
            {
                await rabbit.DisposeAsync();
            }

            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            if (keep)
            {
                Progress($"kept {directory} (node logs: node*/node.log)");
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
