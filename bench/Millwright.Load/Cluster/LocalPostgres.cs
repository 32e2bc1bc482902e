using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Millwright.Bench.Cluster;

/// <summary>
/// A private PostgreSQL 15 in a directory of its own (initdb, a free loopback port, durability off because it is
/// thrown away), as test.sh starts one; stopped and deleted on dispose. initdb and postgres refuse to run as root,
/// so as root they run as the postgres user.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _directory;

    private readonly string _settings;

    private LocalPostgres(string directory, int port, string settings)
    {
        _directory = directory;
        _settings = settings;
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Maximum Pool Size=40");
    }

    public string ConnectionString { get; }

    public static async Task<LocalPostgres> StartAsync(string directory, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(Bin, "pg_ctl")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}); apt-get install postgresql, or pass --db");
        }

        var data = Path.Combine(directory, "pg");
        var socket = Path.Combine(directory, "sock");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(socket);
        if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            await RunAsync(ct, "chown", "postgres:", data, socket);
        }

        await RunAsync(ct, AsPostgres(Path.Combine(Bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
        for (var port = 55482; port < 55532; port++)
        {
            if (Listening(port))
            {
                continue;
            }

            var settings = $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            var started = await TryRunAsync(ct, AsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start", "-o", settings));
            if (started)
            {
                return new LocalPostgres(data, port, settings);
            }
        }

        throw new InvalidOperationException($"PostgreSQL did not start; see {Path.Combine(data, "server.log")}");
    }

    /// <summary>
    /// Restarts the server (fast shutdown: every session is ended, as in a failover or a maintenance restart). The
    /// log file is named again: without it the new server would write to pg_ctl's output and keep it open.
    /// </summary>
    public Task RestartAsync(CancellationToken ct) =>
        RunAsync(ct, AsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", _directory, "-l", Path.Combine(_directory, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"));

    /// <summary>Stops the server (fast shutdown: every session is ended); <see cref="StartAgainAsync"/> starts it on its data.</summary>
    public Task StopAsync(CancellationToken ct) =>
        RunAsync(ct, AsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", _directory, "-m", "fast", "-w", "-t", "60", "stop"));

    /// <summary>Starts the stopped server again with the settings it had, and returns once it accepts connections.</summary>
    public Task StartAgainAsync(CancellationToken ct) =>
        RunAsync(ct, AsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", _directory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start", "-o", _settings));

    public async ValueTask DisposeAsync() =>
        await TryRunAsync(CancellationToken.None, AsPostgres(Path.Combine(Bin, "pg_ctl"), "-D", _directory, "-m", "immediate", "stop"));

    internal static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string[] AsPostgres(params string[] command) =>
        Environment.IsPrivilegedProcess ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static async Task RunAsync(CancellationToken ct, params string[] command)
    {
        if (!await TryRunAsync(ct, command))
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` failed");
        }
    }

    private static async Task<bool> TryRunAsync(CancellationToken ct, params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await Task.WhenAll(output, error);
        return process.ExitCode == 0;
    }
}
