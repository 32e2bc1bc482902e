namespace Millwright.Hosting;

/// <summary>
/// Creates the data directory and the files in it for the owning user only (0700 and 0600): they hold the
/// registry, device secrets' hashes and keys. Only what is created here gets the mode; a directory or file
/// that already exists keeps the mode its owner gave it.
/// </summary>
internal static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // The mode applies to every directory this creates, parents included; existing ones are left alone.
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>
    /// Creates an empty file unless one exists. SQLite takes a zero-length file as an empty database, and
    /// gives its -wal and -shm files the mode of the database file, so all three stay owner-only.
    /// </summary>
    public static void CreateFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by another process a moment ago: theirs to keep.
        }
    }
}
