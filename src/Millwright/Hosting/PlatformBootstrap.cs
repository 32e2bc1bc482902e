using Millwright.Api;
using Millwright.Features.ApiKeys;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Hosting;

/// <summary>
/// On first start with an empty store, creates the platform admin key, prints it once and keeps it in
/// a file only its owner may read, so that the operator is never locked out of a new installation.
/// </summary>
internal static class PlatformBootstrap
{
    public const string KeyFileName = "platform-admin.key";

    public static async Task<string?> EnsurePlatformKeyAsync(IDatabase database, string dataDirectory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var issued = await new Sessions(database, clock).RunAsync(Caller.CommandLine(null), ApiKeys.BootstrapAsync, cancellationToken);
        if (issued is null)
        {
            return null;
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (OperatingSystem.IsWindows())
        {
            await File.WriteAllTextAsync(path, issued.Key + Environment.NewLine, cancellationToken);
        }
        else
        {
            // Readable by its owner only, from the moment it exists; an older file gets the same mode.
            var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = ownerOnly };
            await using (var stream = new FileStream(path, file))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteLineAsync(issued.Key);
            }

            File.SetUnixFileMode(path, ownerOnly);
        }

        return path;
    }

    public static async Task<string> ReadKeyAsync(string path) => (await File.ReadAllTextAsync(path)).Trim();
}
