using System.Diagnostics;
using System.Text;

namespace Millwright.Testing;

/// <summary>
/// A third-party peer (paho-mqtt script, mosquitto_pub, mosquitto_sub) run as a child process. Its stdout
/// lines are collected as they come, and tests wait for the line they need with a deadline, never a sleep.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = Eventually.DefaultPatience;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _commandLine;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerProcess(string file, IReadOnlyList<string> arguments)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} is missing: apt-get install -y mosquitto-clients python3-paho-mqtt (test.sh does this).");
        }

        _commandLine = file + " " + string.Join(' ', arguments);
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.Exited += (_, _) => Signal();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static PeerProcess Start(string file, params IReadOnlyList<string> arguments) => new(file, arguments);

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits until some line matches; fails with everything the peer said when the deadline passes or it exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null) =>
        (await WaitForLinesAsync(lines => lines.FirstOrDefault(match) is { } line ? [line] : null, timeout))[0];

    /// <summary>Waits until <paramref name="select"/> returns non-null over the lines so far.</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(Func<IReadOnlyList<string>, IReadOnlyList<string>?> select, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultWait;
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                changed = _changed.Task;
            }

            var exited = _process.HasExited;
            if (select(Lines) is { } found)
            {
                return found;
            }

            if (exited)
            {
                _process.WaitForExit();
                if (select(Lines) is { } late)
                {
                    return late;
                }

                throw new TimeoutException($"{_commandLine} exited ({_process.ExitCode}) without the expected output.\n{Describe()}");
            }

            var left = limit - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{_commandLine} did not produce the expected output within {limit}.\n{Describe()}");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultWait);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_commandLine} did not exit.\n{Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the peer: its socket closes without DISCONNECT, as when a machine loses power.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public string Describe()
    {
        lock (_stderr)
        {
            return "stdout:\n" + string.Join('\n', Lines) + "\nstderr:\n" + _stderr;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_lines)
        {
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }
}
