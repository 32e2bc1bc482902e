using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Millwright.Cli;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright broker</c> run as the real program, used by our own MQTT client as any plant tool would.</summary>
public sealed class BrokerCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_standalone_broker_carries_messages_between_anonymous_clients()
    {
        var port = FreePort();
        using var broker = Start("broker", "--listen", $"127.0.0.1:{port}", "--allow-anonymous");
        try
        {
            await WaitForLineAsync(broker, "MQTT broker listening");
            var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var subscriber = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", port, "sub"),
                m => received.TrySetResult(Encoding.UTF8.GetString(m.Payload.Span)));
            await subscriber.SubscribeAsync("plant/#", QualityOfService.AtLeastOnce);
            await using var publisher = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", port, "pub") { Version = MqttProtocolVersion.V311 });

            Assert.Equal(ReasonCode.Success, await publisher.PublishAsync("plant/press-1/state", "running"u8.ToArray(), QualityOfService.AtLeastOnce));
            Assert.Equal("running", await received.Task.WaitAsync(Limit));
        }
        finally
        {
            broker.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Users_are_checked_and_a_wrong_password_is_refused()
    {
        var port = FreePort();
        using var broker = Start("broker", "--listen", $"127.0.0.1:{port}", "--user", "line1:s3cret");
        try
        {
            await WaitForLineAsync(broker, "MQTT broker listening");
            await using var good = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", port, "a") { UserName = "line1", Password = "s3cret" });
            var refused = await Assert.ThrowsAsync<MqttConnectException>(() =>
                MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", port, "b") { UserName = "line1", Password = "wrong" }));
            Assert.Equal(ReasonCode.BadUserNameOrPassword, refused.Reason);
            var anonymous = await Assert.ThrowsAsync<MqttConnectException>(() =>
                MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", port, "c")));
            Assert.Equal(ReasonCode.NotAuthorized, anonymous.Reason);
        }
        finally
        {
            broker.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_broker_nobody_could_log_in_to_is_a_usage_error()
    {
        using var broker = Start("broker", "--listen", "127.0.0.1:0");
        using var timeout = new CancellationTokenSource(Limit);
        await broker.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.Usage, broker.ExitCode);
        Assert.Contains("--allow-anonymous", await broker.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "millwright.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task WaitForLineAsync(Process process, string text)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException($"the broker ended before saying '{text}': {await process.StandardError.ReadToEndAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
