using Millwright.Hosting;

namespace Millwright.Tests.Hosting;

public sealed class StoreOptionsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mw-store-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Without_a_connection_string_the_sqlite_file_is_created_under_the_data_directory()
    {
        var data = Path.Combine(_root, "nested", "data");

        await using var database = await new StoreOptions(data, null).OpenAsync();

        Assert.Equal("sqlite", database.Provider);
        Assert.True(File.Exists(Path.Combine(data, StoreOptions.SqliteFileName)));
        Assert.Equal(Path.Combine(data, StoreOptions.SqliteFileName), database.Describe());
    }

    [Fact]
    public async Task A_new_data_directory_is_readable_by_its_owner_only()
    {
        var data = Path.Combine(_root, "fresh", "data");

        await using var database = await new StoreOptions(data, null).OpenAsync();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        }
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_a_store_unavailable_error()
    {
        var file = Path.Combine(_root, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => new StoreOptions(Path.Combine(file, "data"), null).OpenAsync());

        Assert.Contains("Cannot use the store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_platform_key_is_bootstrapped_once_into_an_owner_only_file()
    {
        await using var database = await new StoreOptions(_root, null).OpenAsync();

        var first = await PlatformBootstrap.EnsurePlatformKeyAsync(database, _root, TimeProvider.System, CancellationToken.None);
        var second = await PlatformBootstrap.EnsurePlatformKeyAsync(database, _root, TimeProvider.System, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.StartsWith("mwk_", await KeyFile.ReadAsync(first), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first));
        }
    }
}
