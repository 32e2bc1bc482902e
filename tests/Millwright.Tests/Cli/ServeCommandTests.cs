using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Millwright.Cli;

namespace Millwright.Tests.Cli;

/// <summary>
/// <c>millwright serve</c> run as the real program (the millwright.dll built beside this assembly): each
/// failure to start must exit with its documented code and say why on standard error.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _data = Directory.CreateTempSubdirectory("mw-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("example.org:80")]
    public async Task A_bad_http_address_is_a_usage_error(string http)
    {
        var (exit, _, error) = await RunAsync("serve", "--http", http, "--data", _data, "--no-mqtt");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--http", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "millwright.db")));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=1;Database=mw;Username=mw;Timeout=5")]
    [InlineData("this is = not; a connection string")]
    public async Task An_unreachable_database_exits_with_store_unavailable(string db)
    {
        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--data", _data, "--db", db, "--no-mqtt");

        Assert.Equal(ExitCodes.StoreUnavailable, exit);
        Assert.Contains("millwright: Cannot", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_mode_on_the_embedded_SQLite_store_is_refused_with_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--data", _data, "--no-mqtt", "--cluster", "plant-a");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--cluster needs --db with a PostgreSQL connection string", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "millwright.db")));
    }

    [Fact]
    public async Task A_port_already_in_use_exits_with_listen_failed()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, output, error) = await RunAsync("serve", "--http", $"127.0.0.1:{port}", "--data", _data, "--no-mqtt");

        Assert.Equal(ExitCodes.ListenFailed, exit);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.Contains("created the platform admin key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_MQTT_port_already_in_use_exits_with_listen_failed_naming_MQTT()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--mqtt", $"127.0.0.1:{port}", "--data", _data);

        Assert.Equal(ExitCodes.ListenFailed, exit);
        Assert.Contains($"cannot listen on 127.0.0.1:{port} (MQTT)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_MQTT_limits_are_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--data", _data, "--mqtt-max-packet", "10");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("MaxPacketSize", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_live_feed_limits_are_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--data", _data, "--live-max-connections", "0");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("MaxConnectionsPerTenant", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a network", "'not a network' is not an IP address or a CIDR network")]
    [InlineData("10.0.0.0/8:70000", "'70000' is not a port or a port range")]
    [InlineData("10.0.0.0/8:600-502", "'600-502' is not a port or a port range")]
    [InlineData("Acme Corp=10.0.0.0/8", "'Acme Corp' is not a tenant slug")]
    [InlineData("fd00::/8:502", "write an IPv6 network in brackets")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' is not an IP address or a CIDR network")]
    public async Task A_malformed_egress_allow_rule_is_a_usage_error_naming_the_option(string rule, string message)
    {
        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--data", _data, "--no-mqtt", "--egress-allow", "10.0.0.0/8", "--egress-allow", rule);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--egress-allow: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_address_that_is_not_host_and_port_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("serve", "--http", "127.0.0.1:0", "--data", _data, "--no-mqtt", "--metrics", "anywhere");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--metrics: 'anywhere' is not host:port", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "millwright.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"millwright {string.Join(' ', args)} did not exit within {Limit}: {await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
