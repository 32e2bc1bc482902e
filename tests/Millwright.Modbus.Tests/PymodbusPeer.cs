using System.Diagnostics;

namespace Millwright.Modbus.Tests;

/// <summary>
/// Debian's pymodbus 3.0 serving the table in peers/pymodbus_server.py on an ephemeral loopback port.
/// Uses /usr/bin/python3 explicitly: a pyenv python on PATH does not see Debian's dist-packages.
/// </summary>
public sealed class PymodbusPeer : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly System.Text.StringBuilder _errors = new();
    private Process? _process;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        EnsureInstalled();
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "pymodbus_server.py");
        var start = new ProcessStartInfo(Python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        // pymodbus logs each refused request to stderr; drain it so a full pipe never stalls the server.
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _process.StandardOutput.ReadLineAsync(startup.Token);
        if (line is null || !line.StartsWith("READY ", StringComparison.Ordinal))
        {
            await _process.WaitForExitAsync(startup.Token);
            throw new InvalidOperationException($"pymodbus server did not start: {line} {_errors}");
        }

        Port = int.Parse(line["READY ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        // Closing stdin is the script's signal to stop; kill if it lingers.
        _process.StandardInput.Close();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void EnsureInstalled()
    {
        if (Run(Python, "-c \"import pymodbus\"") == 0)
        {
            return;
        }

        Run("apt-get", "install -y -qq python3-pymodbus");
        if (Run(Python, "-c \"import pymodbus\"") != 0)
        {
            throw new InvalidOperationException("python3-pymodbus is not installed and apt-get could not install it");
        }
    }

    internal static int Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
