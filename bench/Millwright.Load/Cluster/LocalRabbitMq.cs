using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Millwright.Bench.Cluster;

/// <summary>
/// A private RabbitMQ node (Debian's 3.10) as tests/rabbitmq.sh starts one: its own node name, AMQP, distribution
/// and epmd ports, Erlang cookie, data and logs under a directory of its own, so it never meets the system's
/// service. Killed with its epmd on dispose (the data is thrown away).
/// </summary>
internal sealed class LocalRabbitMq : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private Process _server;
    private bool _killed;
    private readonly string _directory;
    private readonly int _port;

    private LocalRabbitMq(Process server, string directory, int port)
    {
        _server = server;
        _directory = directory;
        _port = port;
    }

    public Uri Uri => new(string.Create(CultureInfo.InvariantCulture, $"amqp://guest:guest@127.0.0.1:{_port}/"));

    public static async Task<LocalRabbitMq> StartAsync(string directory, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(Bin, "rabbitmq-server")))
        {
            throw new InvalidOperationException($"RabbitMQ is not installed ({Bin}); apt-get install rabbitmq-server, or pass --amqp");
        }

        var port = Enumerable.Range(0, 20).Select(i => 55700 + (3 * i)).First(p => !LocalPostgres.Listening(p) && !LocalPostgres.Listening(p + 2));
        var dir = Path.Combine(directory, "rabbit");
        foreach (var sub in new[] { "home", "mnesia", "log" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq-env.conf"), "", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "advanced.config"), "[].", ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq.conf"), "disk_free_limit.absolute = 1MB\nloopback_users = none\n", ct);
        var cookie = Path.Combine(dir, "home", ".erlang.cookie");
        await File.WriteAllTextAsync(cookie, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        var rabbit = new LocalRabbitMq(Launch(dir, port, ct), dir, port);
        await rabbit.AwaitListeningAsync(ct);
        return rabbit;
    }

    /// <summary>Kills the broker (SIGKILL, as a crash) and starts it again on its data: quorum queues keep what they held.</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        await StopAsync();
        await StartAgainAsync(ct);
    }

    /// <summary>Kills the broker (SIGKILL, as a crash); <see cref="StartAgainAsync"/> starts it on its data.</summary>
    public Task StopAsync() => KillServerAsync();

    /// <summary>Starts the stopped broker again on its data, and returns once it accepts AMQP connections.</summary>
    public async Task StartAgainAsync(CancellationToken ct)
    {
        _server = Launch(_directory, _port, ct);
        _killed = false;
        await AwaitListeningAsync(ct);
    }

    /// <summary>Runs <c>rabbitmqctl</c> against this node (e.g. <c>list_queues name messages</c>) and returns what it printed.</summary>
    public async Task<string> CtlAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Path.Combine(Bin, "rabbitmqctl"), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in Environment(_directory, _port))
        {
            start.Environment[name] = value;
        }

        using var ctl = Process.Start(start)!;
        var stdout = ctl.StandardOutput.ReadToEndAsync(ct);
        var stderr = ctl.StandardError.ReadToEndAsync(ct);
        await ctl.WaitForExitAsync(ct);
        return await stdout + await stderr;
    }

    private static Process Launch(string dir, int port, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Path.Combine(Bin, "rabbitmq-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in Environment(dir, port))
        {
            start.Environment[name] = value;
        }

        var server = Process.Start(start)!;
        _ = server.StandardOutput.ReadToEndAsync(ct);
        _ = server.StandardError.ReadToEndAsync(ct);
        return server;
    }

    private async Task AwaitListeningAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!LocalPostgres.Listening(_port))
        {
            if (_server.HasExited || clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                await DisposeAsync();
                throw new InvalidOperationException($"RabbitMQ did not start; see {Path.Combine(_directory, "log")}");
            }

            await Task.Delay(100, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillServerAsync();

        // epmd was started by this node on its private port; it stops once it no longer lists the dead node.
        for (var i = 0; i < 50; i++)
        {
            using var epmd = Process.Start(new ProcessStartInfo("epmd", ["-port", (_port + 2).ToString(CultureInfo.InvariantCulture), "-kill"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await epmd.WaitForExitAsync();
            if (epmd.ExitCode != 0 || !LocalPostgres.Listening(_port + 2))
            {
                break;
            }

            await Task.Delay(100);
        }
    }

    private async Task KillServerAsync()
    {
        // The script stays as the VM's parent; the VM's own pid is in the pid file.
        var pidFile = Path.Combine(_directory, "rabbit.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture, out var vm))
        {
            try
            {
                Process.GetProcessById(vm).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        // Once only: a start that failed has killed and disposed the server already, and the caller's dispose must not
        // replace that failure with its own.
        if (_killed)
        {
            return;
        }

        _killed = true;
        _server.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        _server.Dispose();
        while (LocalPostgres.Listening(_port))
        {
            await Task.Delay(50);
        }
    }

    private static IEnumerable<(string, string)> Environment(string dir, int port) =>
    [
        ("HOME", Path.Combine(dir, "home")),
        ("RABBITMQ_NODENAME", $"mwbench{port}@localhost"),
        ("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
        ("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture)),
        ("RABBITMQ_DIST_PORT", (port + 1).ToString(CultureInfo.InvariantCulture)),
        ("ERL_EPMD_PORT", (port + 2).ToString(CultureInfo.InvariantCulture)),
        ("ERL_EPMD_ADDRESS", "127.0.0.1"),
        ("RABBITMQ_MNESIA_BASE", Path.Combine(dir, "mnesia")),
        ("RABBITMQ_LOG_BASE", Path.Combine(dir, "log")),
        ("RABBITMQ_PID_FILE", Path.Combine(dir, "rabbit.pid")),
        ("RABBITMQ_CONFIG_FILE", Path.Combine(dir, "rabbitmq")),
        ("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(dir, "advanced.config")),
        ("RABBITMQ_CONF_ENV_FILE", Path.Combine(dir, "rabbitmq-env.conf")),
        ("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(dir, "enabled_plugins")),
        ("RABBITMQ_ENABLED_PLUGINS", ""),
        ("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "+S 2:2 +A 8 +sbwt none +sbwtdcpu none +sbwtdio none"),
        ("RABBITMQ_CTL_ERL_ARGS", "+S 1:1 +sbwt none"),
    ];
}
