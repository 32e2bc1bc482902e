using System.CommandLine;
using System.Text.Json;
using Millwright.Features.OpcUa;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright opcua import opc.tcp://HOST:PORT</c>: browse a server from a terminal and print the node map the
/// platform's import route would propose (<c>POST /api/v1/machines/{id}/opcua/import</c>), as JSON: <c>connection</c>
/// is a body for <c>PUT /api/v1/machines/{id}/opcua</c>, <c>found</c> says what each entry is. Nothing is stored.
/// </summary>
internal static class OpcUaImportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var connection = new OpcUaConnectionArguments();
        var depth = new Option<int>("--depth") { Description = $"How many levels below Objects to browse (1-{OpcUaImport.MaxDepth})", DefaultValueFactory = _ => OpcUaImport.DefaultDepth };
        var publishing = new Option<int>("--publishing-ms") { Description = "The proposed connection's publishing interval", DefaultValueFactory = _ => 1000 };
        var sampling = new Option<int?>("--sampling-ms") { Description = "Each proposed node's sampling interval (default the publishing interval)" };
        var command = new Command("import", "Browse the server and print the proposed node map (Boolean and numeric scalars) as a JSON body for PUT /api/v1/machines/{id}/opcua");
        connection.AddTo(command);
        command.Options.Add(depth);
        command.Options.Add(publishing);
        command.Options.Add(sampling);
        command.SetAction((result, ct) => ImportAsync(connection.Read(result), result.GetValue(depth), result.GetValue(publishing), result.GetValue(sampling),
            Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> ImportAsync(OpcUaConnection connection, int depth, int publishingMs, int? samplingMs, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var sampling = samplingMs ?? publishingMs;
        var problem = depth is < 1 or > OpcUaImport.MaxDepth ? $"--depth must be between 1 and {OpcUaImport.MaxDepth}"
            : publishingMs is < 50 or > 3_600_000 ? "--publishing-ms must be between 50 ms and one hour"
            : sampling is < 0 or > 3_600_000 ? "--sampling-ms must be between 0 (as fast as the server samples) and one hour"
            : null;
        if (problem is not null)
        {
            await error.WriteLineAsync($"millwright: {problem}.");
            return ExitCodes.InvalidInput;
        }

        return await OpcUaCommand.WithClientAsync(connection, error, async client =>
        {
            var secured = !string.Equals(connection.Security, OpcUa.OpcUaClientOptions.SecurityNone, StringComparison.OrdinalIgnoreCase);
            var mode = Enum.Parse<OpcUa.Crypto.MessageSecurityMode>(connection.Mode, ignoreCase: true).ToString();
            var configured = new OpcUaConnectionInput(connection.Endpoint, secured ? "Basic256Sha256" : "None", publishingMs, [], secured ? mode : null);
            var proposal = await OpcUaImport.ProposeAsync(client, configured, depth, sampling, ct);
            await output.WriteLineAsync(JsonSerializer.Serialize(proposal, Json));
            return ExitCodes.Ok;
        }, ct);
    }
}
