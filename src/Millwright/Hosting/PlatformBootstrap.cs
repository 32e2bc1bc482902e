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

        var path = Path.Combine(dataDirectory, KeyFileName);
        await KeyFile.WriteAsync(path, issued.Key, cancellationToken);
        return path;
    }
}
