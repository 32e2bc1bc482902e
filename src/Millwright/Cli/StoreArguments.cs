using System.CommandLine;
using Millwright.Hosting;

namespace Millwright.Cli;

/// <summary>--data and --db, shared by every command that opens the store.</summary>
internal sealed class StoreArguments
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Directory of the embedded SQLite store and the platform admin key file",
        DefaultValueFactory = _ => "./data",
    };

    public Option<string?> Db { get; } = new("--db")
    {
        Description = "Npgsql connection string; when given, PostgreSQL is the store (e.g. \"Host=127.0.0.1;Port=5432;Database=millwright;Username=mw;Password=...\")",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Db);
    }

    /// <summary>
    /// The store options with --data made absolute against the working directory, so that the path printed at start
    /// and the key files' paths are the same whichever way the binary was started (dotnet run, the built binary).
    /// </summary>
    public StoreOptions Read(ParseResult result) => new(Path.GetFullPath(result.GetValue(Data)!), result.GetValue(Db));
}
