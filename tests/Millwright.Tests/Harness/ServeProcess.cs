using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Millwright.Tests.Harness;

/// <summary>
/// <c>millwright serve</c> as the real program in its own process, on free loopback ports, so a test can
/// kill it the hard way (SIGKILL) and start it again on the same store.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Task<string> _errors;

    private ServeProcess(Process process, Task<string> errors, Uri http, int mqttPort, string? platformKey)
    {
        _process = process;
        _errors = errors;
        Http = http;
        MqttPort = mqttPort;
        PlatformKey = platformKey;
    }

    public Uri Http { get; }

    public int MqttPort { get; }

    /// <summary>The platform key printed on the first start of a store; null on later starts.</summary>
    public string? PlatformKey { get; }

    public static async Task<ServeProcess> StartAsync(string dataDirectory, string? postgres)
    {
        var (httpPort, mqttPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "millwright.dll"), "serve", "--http", $"127.0.0.1:{httpPort}", "--mqtt", $"127.0.0.1:{mqttPort}", "--data", dataDirectory })
        {
            start.ArgumentList.Add(arg);
        }

        if (postgres is not null)
        {
            start.ArgumentList.Add("--db");
            start.ArgumentList.Add(postgres);
        }

        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string? key = null;
        using var limit = new CancellationTokenSource(StartLimit);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(limit.Token)
                ?? throw new InvalidOperationException($"millwright serve ended before serving: {await errors}");
            if (line.StartsWith("  mwk_", StringComparison.Ordinal))
            {
                key = line.Trim();
            }

            if (line.StartsWith("Millwright is serving", StringComparison.Ordinal))
            {
                break;
            }
        }

        // Keep reading so the child never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        return new ServeProcess(process, errors, new Uri($"http://127.0.0.1:{httpPort}"), mqttPort, key);
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Http };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hook, no last checkpoint, nothing flushed that was not already.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        await _errors;
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
