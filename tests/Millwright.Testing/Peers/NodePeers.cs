namespace Millwright.Testing;

/// <summary>
/// The npm peers of tests/peers (Eclipse Tahu's Sparkplug client, node-opcua): test.sh installs them there with
/// <c>npm ci</c>; the tests find that folder by walking up from their output to the repository root.
/// </summary>
internal static class NodePeers
{
    public const string Node = "/usr/bin/node";

    public static string Folder { get; } = Find();

    /// <summary>The script's full path, after checking that its npm package is installed.</summary>
    public static string Script(string name, string package)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", package)))
        {
            throw new InvalidOperationException($"npm package {package} is missing in {Folder}: run 'npm ci' there (test.sh does this).");
        }

        return Path.Combine(Folder, name);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Millwright.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "peers");
            }
        }

        throw new InvalidOperationException($"No Millwright.slnx above {AppContext.BaseDirectory}; the npm peers live in tests/peers of the repository.");
    }
}
