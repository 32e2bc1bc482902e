using Microsoft.Extensions.Logging;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Writes a test node's log to a file of its own when MILLWRIGHT_TEST_NODE_LOGS names a directory: xunit shows no
/// console output, and a cluster test that fails once in ten runs is explained only by what its nodes logged.
/// </summary>
internal sealed class NodeLogFile(string path) : ILoggerProvider
{
    public const string Variable = "MILLWRIGHT_TEST_NODE_LOGS";

    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };

    /// <summary>The provider for a node of <paramref name="cluster"/>, or null when no directory is named.</summary>
    public static NodeLogFile? For(string cluster, string nodeId) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } directory
            ? new NodeLogFile(Path.Combine(Directory.CreateDirectory(directory).FullName, $"{cluster}-{nodeId}.log"))
            : null;

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    public void Dispose()
    {
        lock (_writer)
        {
            _writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_writer)
        {
            if (_writer.BaseStream.CanWrite)
            {
                _writer.WriteLine(line);
            }
        }
    }

    private sealed class Writer(NodeLogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                file.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}");
            }
        }
    }
}
