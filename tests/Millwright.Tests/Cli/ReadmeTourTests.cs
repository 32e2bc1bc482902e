using System.Diagnostics;

namespace Millwright.Tests.Cli;

/// <summary>
/// The README's tour as a new user runs it: tests/readme-tour.sh starts this build's demo in an empty directory on
/// free ports and runs every sh block of README.md after the first, failing on the first command or HTTP error.
/// </summary>
public sealed class ReadmeTourTests
{
    [Fact]
    public async Task Every_command_of_the_README_tour_succeeds_against_a_fresh_demo()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var arg in new[] { Path.Combine(root, "tests", "readme-tour.sh"), "dotnet", Path.Combine(AppContext.BaseDirectory, "millwright.dll") })
        {
            start.ArgumentList.Add(arg);
        }

        using var tour = Process.Start(start)!;
        var output = tour.StandardOutput.ReadToEndAsync();
        var errors = tour.StandardError.ReadToEndAsync();
        // The script gives up on its own (5 minutes for the demo, 4 for the tour) and prints why; this is the last resort.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        try
        {
            await tour.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            tour.Kill(entireProcessTree: true);
            await tour.WaitForExitAsync();
            Assert.Fail($"readme-tour.sh did not end within 12 minutes:\n{await output}\n{await errors}");
        }

        Assert.True(tour.ExitCode == 0, $"readme-tour.sh exited with {tour.ExitCode}:\n{await output}\n{await errors}");
        Assert.Contains("readme-tour: passed", await output, StringComparison.Ordinal);
    }

    /// <summary>The checkout this test was built from: the first parent of the test's directory holding README.md and test.sh.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "test.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no checkout above {AppContext.BaseDirectory}");
    }
}
