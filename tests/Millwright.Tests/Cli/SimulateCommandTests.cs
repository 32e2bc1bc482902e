using System.Net;
using System.Net.Sockets;
using Millwright.Cli;
using Millwright.Simulator.Drivers;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright simulate</c>'s failures: each a clear message and its own exit code, before any machine starts.</summary>
public sealed class SimulateCommandTests
{
    [Fact]
    public async Task A_refused_key_exits_with_unauthorized()
    {
        await using var host = await TestHost.StartAsync(postgres: false);
        var (exit, error) = await RunAsync(host.BaseAddress, "mwk_nothing_of_the_sort", FreePort(), "acme");

        Assert.Equal(ExitCodes.Unauthorized, exit);
        Assert.Contains("refused the key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_that_does_not_answer_exits_with_unreachable()
    {
        var (exit, error) = await RunAsync(new Uri($"http://127.0.0.1:{FreePort()}"), "mwk_x", FreePort(), "acme");

        Assert.Equal(ExitCodes.Unreachable, exit);
        Assert.Contains("does not answer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_exits_with_unreachable()
    {
        await using var host = await TestHost.StartAsync(postgres: false);
        using var t = await host.CreateTenantAsync("sim");
        var (exit, error) = await RunAsync(host.BaseAddress, t.AdminKey, FreePort(), t.Slug);

        Assert.Equal(ExitCodes.Unreachable, exit);
        Assert.Contains("the broker at 127.0.0.1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_that_is_not_the_keys_exits_with_unauthorized()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true);
        using var t = await host.CreateTenantAsync("sim");
        var (exit, error) = await RunAsync(host.BaseAddress, t.AdminKey, host.MqttEndPoint.Port, "someone-else");

        Assert.Equal(ExitCodes.Unauthorized, exit);
        Assert.Contains("does not belong to tenant 'someone-else'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mtbf", "10m")]
    [InlineData("--take-jobs", "--mtbf", "soon")]
    [InlineData("--take-jobs", "--mtbf", "1s")]
    public async Task A_mean_time_between_failures_without_job_mode_or_out_of_range_is_bad_usage(params string[] options)
    {
        var parse = SimulateCommand.Create().Parse([.. options, "--key", "mwk_x", "--api", $"http://127.0.0.1:{FreePort()}"]);

        Assert.Equal(ExitCodes.Usage, await parse.InvokeAsync());
    }

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("90", 90)]
    [InlineData("1.5s", 1.5)]
    public void Durations_read_with_their_unit(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SimulateCommand.ParseDuration(text, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)));

    private static async Task<(int Exit, string Error)> RunAsync(Uri api, string key, int mqttPort, string tenant)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var arguments = new SimulateArguments(2, new BrokerAddress("127.0.0.1", mqttPort, tenant), api, key, TimeSpan.FromSeconds(1), 1, FreePort());
        var exit = await SimulateCommand.RunAsync(arguments, output, error, CancellationToken.None);
        return (exit, error.ToString());
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
