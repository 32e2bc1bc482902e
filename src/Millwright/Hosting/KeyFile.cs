namespace Millwright.Hosting;

/// <summary>A secret kept on disk for its owner only: readable and writable by the owning user, nobody else.</summary>
internal static class KeyFile
{
    public static async Task WriteAsync(string path, string secret, CancellationToken cancellationToken)
    {
        OwnerOnly.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (OperatingSystem.IsWindows())
        {
            await File.WriteAllTextAsync(path, secret + Environment.NewLine, cancellationToken);
            return;
        }

        // Owner-only from the moment it exists; an older file gets the same mode.
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = ownerOnly };
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(secret);
        }

        File.SetUnixFileMode(path, ownerOnly);
    }

    public static async Task<string> ReadAsync(string path) => (await File.ReadAllTextAsync(path)).Trim();
}
