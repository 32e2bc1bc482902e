using System.CommandLine;
using Millwright.OpcUa;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright opcua browse|read opc.tcp://HOST:PORT</c>: look at an OPC UA server from a terminal with the
/// platform's own client (src/Millwright.OpcUa), as an engineer does before mapping a machine.
/// </summary>
internal static class OpcUaCommand
{
    public static Command Create()
    {
        var command = new Command("opcua", "Browse, read and import an OPC UA server (UA-TCP, security None or Basic256Sha256)");
        command.Subcommands.Add(Browse());
        command.Subcommands.Add(Read());
        command.Subcommands.Add(OpcUaTrustCommand.Create());
        command.Subcommands.Add(OpcUaImportCommand.Create());
        return command;
    }

    private static Command Browse()
    {
        var connection = new OpcUaConnectionArguments();
        var node = new Option<string>("--node") { Description = "Start here instead of the Objects folder (i=85), e.g. ns=2;s=Machine" };
        var depth = new Option<int>("--depth") { Description = "How many levels below the start node to show", DefaultValueFactory = _ => 1 };
        var command = new Command("browse", "Print the node tree: node id, browse name, node class, and data type and value for variables");
        connection.AddTo(command);
        command.Options.Add(node);
        command.Options.Add(depth);
        command.SetAction((result, ct) => BrowseAsync(connection.Read(result), result.GetValue(node), result.GetValue(depth), Console.Out, Console.Error, ct));
        return command;
    }

    private static Command Read()
    {
        var connection = new OpcUaConnectionArguments();
        var nodes = new Argument<string[]>("node") { Description = "Node ids, e.g. ns=2;s=Machine.Speed i=2258", Arity = ArgumentArity.OneOrMore };
        var command = new Command("read", "Print NODEID = value (status) for each node's Value attribute");
        connection.AddTo(command);
        command.Arguments.Add(nodes);
        command.SetAction((result, ct) => ReadAsync(connection.Read(result), result.GetValue(nodes)!, Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> ReadAsync(OpcUaConnection connection, IReadOnlyList<string> texts, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var ids = new List<NodeId>();
        foreach (var text in texts)
        {
            if (!NodeId.TryParse(text, out var id))
            {
                await error.WriteLineAsync($"millwright: '{text}' is not a node id (i=85, ns=2;s=Machine.Speed, ns=1;g=GUID, ns=1;b=BASE64).");
                return ExitCodes.InvalidInput;
            }

            ids.Add(id);
        }

        return await WithClientAsync(connection, error, async client =>
        {
            var values = await client.ReadValuesAsync(ids, ct);
            for (var i = 0; i < ids.Count; i++)
            {
                await output.WriteLineAsync($"{ids[i]} = {values[i].Value} ({values[i].Status})");
            }

            return ExitCodes.Ok;
        }, ct);
    }

    public static async Task<int> BrowseAsync(OpcUaConnection connection, string? start, int depth, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var root = WellKnownNodes.ObjectsFolder;
        if (start is not null && !NodeId.TryParse(start, out root))
        {
            await error.WriteLineAsync($"millwright: '{start}' is not a node id (i=85, ns=2;s=Machine).");
            return ExitCodes.InvalidInput;
        }

        if (depth < 0)
        {
            await error.WriteLineAsync("millwright: --depth must be 0 or more.");
            return ExitCodes.InvalidInput;
        }

        return await WithClientAsync(connection, error, async client =>
        {
            var tree = new OpcUaTreePrinter(client, output, error);
            await tree.PrintAsync(root, depth, ct);
            return ExitCodes.Ok;
        }, ct);
    }

    public static async Task<int> WithClientAsync(OpcUaConnection connection, TextWriter error, Func<OpcUaClient, Task<int>> work, CancellationToken ct)
    {
        if (!string.Equals(connection.Security, OpcUaClientOptions.SecurityNone, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(connection.Security, OpcUaClientOptions.SecurityBasic256Sha256, StringComparison.OrdinalIgnoreCase))
        {
            await error.WriteLineAsync($"millwright: unknown security policy '{connection.Security}' (None or Basic256Sha256).");
            return ExitCodes.InvalidInput;
        }

        if (!Enum.TryParse<OpcUa.Crypto.MessageSecurityMode>(connection.Mode, ignoreCase: true, out var mode) || mode == OpcUa.Crypto.MessageSecurityMode.None)
        {
            await error.WriteLineAsync($"millwright: unknown --mode '{connection.Mode}' (Sign or SignAndEncrypt).");
            return ExitCodes.InvalidInput;
        }

        Uri endpoint;
        try
        {
            endpoint = OpcUaClientOptions.ParseEndpoint(connection.Endpoint);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"millwright: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        try
        {
            await using var client = await OpcUaClient.ConnectAsync(new OpcUaClientOptions(endpoint)
            {
                User = connection.User, Password = connection.Password, Security = connection.Security, Mode = mode, PkiDirectory = connection.Pki,
            }, ct);
            return await work(client);
        }
        catch (OpcUaProtocolException e)
        {
            await error.WriteLineAsync($"millwright: {connection.Endpoint}: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await error.WriteLineAsync($"millwright: cannot reach {connection.Endpoint}: {e.Message}");
            return ExitCodes.Unreachable;
        }
    }
}
