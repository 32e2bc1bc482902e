using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Millwright.Mqtt.Tests.Interop;

/// <summary>A private mosquitto on a free loopback port, started by the test run and stopped with it.</summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly Process? _process;
    private readonly string _directory;

    public MosquittoBroker()
    {
        _directory = Directory.CreateTempSubdirectory("mw-mosquitto-").FullName;
        if (!File.Exists(Executable))
        {
            return;
        }

        Port = FreePort();
        var config = Path.Combine(_directory, "mosquitto.conf");
        File.WriteAllText(config, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        _process = Process.Start(new ProcessStartInfo(Executable, ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    public int Port { get; }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Polls the port rather than sleeping a fixed time: start-up takes milliseconds on an idle machine.
    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                if (_process!.HasExited)
                {
                    throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}.");
                }

                Thread.Sleep(20);
            }
        }

        throw new TimeoutException("mosquitto did not listen within 10 s.");
    }
}
