using Millwright.Hosting;

namespace Millwright.Tests.Hosting;

/// <summary>The data directory and the database file are created for their owner only (0700, 0600).</summary>
public sealed class OwnerOnlyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mw-modes-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_new_data_directory_is_0700_and_its_database_files_are_0600()
    {
        var data = Path.Combine(_root, "data");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using (var database = await new StoreOptions(data, null).OpenAsync())
        {
            await using var connection = await database.OpenAsync();
            Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(data));
            var files = Directory.GetFiles(data, StoreOptions.SqliteFileName + "*");
            Assert.Contains(files, f => f.EndsWith("-wal", StringComparison.Ordinal));
            foreach (var file in files)
            {
                Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task An_existing_data_directory_keeps_the_mode_its_owner_gave_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = Directory.CreateDirectory(Path.Combine(_root, "shared")).FullName;
        var chosen = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(data, chosen);

        await using var database = await new StoreOptions(data, null).OpenAsync();

        Assert.Equal(chosen, File.GetUnixFileMode(data));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(Path.Combine(data, StoreOptions.SqliteFileName)));
    }
}
