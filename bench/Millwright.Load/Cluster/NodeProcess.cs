using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Millwright.Bench.Cluster;

/// <summary>
/// One cluster node as its own process: <c>millwright serve --cluster NAME --db ... --amqp ...</c> on free loopback
/// ports with a data directory of its own, run from the product's program built beside this one. A process, not a
/// host in this one, so that <see cref="Kill"/> is a real kill -9: no shutdown code runs, no lease is released.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, int index, int httpPort, int mqttPort, string log)
    {
        _process = process;
        Index = index;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        Log = log;
    }

    public int Index { get; }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public int Pid => _process.Id;

    /// <summary>The node's standard output and error.</summary>
    public string Log { get; }

    public bool Alive => !_process.HasExited;

    public Uri Api => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{HttpPort}"));

    public static async Task<NodeProcess> StartAsync(int index, string cluster, string database, Uri amqp, string directory, CancellationToken ct)
    {
        var data = Path.Combine(directory, $"node{index}");
        Directory.CreateDirectory(data);
        var (http, mqtt) = (FreePort(), FreePort());
        var program = Path.Combine(AppContext.BaseDirectory, "millwright.dll");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            program, "serve", "--cluster", cluster, "--db", database, "--amqp", amqp.ToString(), "--data", data,
            "--http", $"127.0.0.1:{http}", "--mqtt", $"127.0.0.1:{mqtt}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var log = Path.Combine(data, "node.log");
        var process = Process.Start(start)!;
        _ = CopyAsync(process, log);
        var node = new NodeProcess(process, index, http, mqtt, log);
        try
        {
            await node.AwaitHealthyAsync(ct);
        }
        catch
        {
            // Not handed to the caller, so nobody else would stop it: a node that never became healthy is not left running.
            node.Kill();
            throw;
        }

        return node;
    }

    /// <summary>kill -9: the node stops at once, holding its leases, its connections dropped by the kernel.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>SIGSTOP (true) or SIGCONT (false): the node freezes as in a long GC pause or a stalled VM, and later goes on.</summary>
    public async Task FreezeAsync(bool frozen)
    {
        using var signal = Process.Start("kill", [frozen ? "-STOP" : "-CONT", Pid.ToString(CultureInfo.InvariantCulture)]);
        await signal.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the node shuts down as an operator would stop it (releasing its leases).</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task AwaitHealthyAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"node {Index} exited with {_process.ExitCode}; see {Log}");
            }

            try
            {
                using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), ct);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Busy starting.
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new InvalidOperationException($"node {Index} did not become healthy in 3 minutes; see {Log}");
            }

            await Task.Delay(100, ct);
        }
    }

    private static async Task CopyAsync(Process process, string log)
    {
        await using var file = new StreamWriter(log) { AutoFlush = true };
        var gate = new SemaphoreSlim(1, 1);
        async Task Pump(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                await gate.WaitAsync();
                try
                {
                    await file.WriteLineAsync(line);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        await Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
