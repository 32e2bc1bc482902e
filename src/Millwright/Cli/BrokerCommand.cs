using System.CommandLine;
using System.Net;
using Millwright.Hosting;
using Millwright.Mqtt.Server;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright broker</c>: the platform's MQTT server alone, as a general-purpose broker for a plant's
/// local network (the way people use mosquitto), with no platform behind it.
/// </summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var listen = EndPointOption.Create("--listen", "Address to accept MQTT clients on, host:port", "127.0.0.1:1883");
        var anonymous = new Option<bool>("--allow-anonymous") { Description = "Let clients connect without a user name" };
        var users = new Option<string[]>("--user")
        {
            Description = "A user allowed to connect, as name:password (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        users.Validators.Add(r =>
        {
            foreach (var user in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (user.IndexOf(':', StringComparison.Ordinal) <= 0)
                {
                    r.AddError($"--user: '{user}' is not name:password");
                }
            }
        });
        var limits = new MqttLimitOptions();

        var command = new Command("broker", "Run a standalone MQTT 3.1.1/5.0 broker");
        command.Options.Add(listen);
        command.Options.Add(anonymous);
        command.Options.Add(users);
        limits.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var userTable = (result.GetValue(users) ?? []).Select(u => u.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            var allowAnonymous = result.GetValue(anonymous);
            if (!allowAnonymous && userTable.Count == 0)
            {
                await Console.Error.WriteLineAsync("millwright: give --allow-anonymous or at least one --user name:password, or no client can connect.");
                return ExitCodes.Usage;
            }

            var (options, error) = limits.Read(result);
            if (options is null)
            {
                await Console.Error.WriteLineAsync($"millwright: {error}");
                return ExitCodes.Usage;
            }

            await using var server = new MqttServer(options, new OpenGate(allowAnonymous, userTable));
            IPEndPoint bound;
            try
            {
                bound = server.Listen(EndPointOption.Read(result, listen));
            }
            catch (System.Net.Sockets.SocketException e)
            {
                await Console.Error.WriteLineAsync($"millwright: cannot listen on {result.GetValue(listen)}: {e.Message}");
                return ExitCodes.ListenFailed;
            }

            await Console.Out.WriteLineAsync($"MQTT broker listening on {bound} ({(allowAnonymous ? "anonymous allowed" : $"{userTable.Count} users")}). Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
