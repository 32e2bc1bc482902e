using Millwright.Cli;

namespace Millwright.Tests.Cli;

/// <summary><c>millwright opcua browse|read</c> against node-opcua's server (tests/peers/opcua_server.js).</summary>
public sealed class OpcUaCommandTests(OpcUaCommandTests.Peer peer) : IClassFixture<OpcUaCommandTests.Peer>, IDisposable
{
    private readonly string _pki = Path.Combine(Path.GetTempPath(), $"millwright-cli-pki-{Guid.NewGuid():N}");

    private OpcUaServerPeer Server => peer.Server;

    public void Dispose()
    {
        if (Directory.Exists(_pki))
        {
            Directory.Delete(_pki, recursive: true);
        }
    }

    [Fact]
    public async Task Basic256Sha256_refuses_an_untrusted_server_until_its_checked_thumbprint_is_trusted()
    {
        var secured = new OpcUaConnection(Server.Endpoint, "Basic256Sha256", Mode: "Sign", Pki: _pki);

        var (refused, _, refusedError) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(secured, ["ns=2;s=Setpoint"], o, e, default));
        var (shown, shownOutput, _) = await RunAsync((o, e) => OpcUaTrustCommand.TrustAsync(Server.Endpoint, null, _pki, o, e, default));
        var sha256 = shownOutput.Split('\n').Single(l => l.StartsWith("SHA-256:", StringComparison.Ordinal))["SHA-256:".Length..].Trim();
        var (wrong, _, wrongError) = await RunAsync((o, e) => OpcUaTrustCommand.TrustAsync(Server.Endpoint, new string('0', 64), _pki, o, e, default));
        var (trusted, _, _) = await RunAsync((o, e) => OpcUaTrustCommand.TrustAsync(Server.Endpoint, sha256, _pki, o, e, default));
        var (read, output, readError) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(secured with { Mode = "SignAndEncrypt" }, ["ns=2;s=ReadOnly"], o, e, default));

        Assert.Equal(ExitCodes.Unreachable, refused);
        Assert.Contains("BadCertificateUntrusted", refusedError, StringComparison.Ordinal);
        Assert.Contains("is not trusted", refusedError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, shown);
        Assert.Contains("Not trusted yet", shownOutput, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, wrong);
        Assert.Contains("nothing was trusted", wrongError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, trusted);
        Assert.Equal(ExitCodes.Ok, read);
        Assert.True(output.Trim() == "ns=2;s=ReadOnly = 7 (Good)", $"{output}\n{readError}");
    }

    [Fact]
    public async Task Read_prints_each_node_with_its_value_and_status()
    {
        var (code, output, _) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(new OpcUaConnection(Server.Endpoint), ["i=2255", "ns=2;s=Setpoint", "ns=2;s=Nothing"], o, e, default));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("i=2255 = [http://opcfoundation.org/UA/, ", output, StringComparison.Ordinal);
        Assert.Contains("urn:millwright:test", output, StringComparison.Ordinal);
        Assert.Contains("ns=2;s=Nothing = null (BadNodeIdUnknown)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browse_prints_the_tree_with_data_types_and_values_to_the_asked_depth()
    {
        var (code, output, _) = await RunAsync((o, e) => OpcUaCommand.BrowseAsync(
            new OpcUaConnection(Server.Endpoint, User: "operator", Password: "secret"), "ns=2;s=Machine", 2, o, e, default));

        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Split('\n');
        Assert.StartsWith("ns=2;s=Machine  2:Machine  Object", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  ns=2;s=Setpoint  2:Setpoint  Variable  Double  = ", StringComparison.Ordinal) && l.EndsWith("(Good)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("    ns=2;s=Scalar.Int32  2:Int32  Variable  Int32  = -123456 (Good)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  ns=2;s=Multiply  2:Multiply  Method", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_input_an_unknown_policy_and_an_unreachable_server_exit_non_zero_with_a_message()
    {
        var (badNode, _, badNodeError) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(new OpcUaConnection(Server.Endpoint), ["x=1"], o, e, default));
        var (policy, _, policyError) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(new OpcUaConnection(Server.Endpoint, "Basic128Rsa15"), ["i=2255"], o, e, default));
        var (url, _, _) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(new OpcUaConnection("http://x"), ["i=2255"], o, e, default));
        var (login, _, loginError) = await RunAsync((o, e) => OpcUaCommand.ReadAsync(new OpcUaConnection(Server.Endpoint, User: "operator", Password: "wrong"), ["i=2255"], o, e, default));

        Assert.Equal(ExitCodes.InvalidInput, badNode);
        Assert.Contains("is not a node id", badNodeError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, policy);
        Assert.Contains("unknown security policy 'Basic128Rsa15' (None or Basic256Sha256)", policyError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, url);
        Assert.Equal(ExitCodes.Unreachable, login);
        Assert.Contains("ActivateSession failed", loginError, StringComparison.Ordinal);
    }

    /// <summary>One node-opcua server for the class: starting it costs seconds.</summary>
    public sealed class Peer : IAsyncLifetime
    {
        private OpcUaServerPeer? _server;

        internal OpcUaServerPeer Server => _server ?? throw new InvalidOperationException("the server is not started");

        public async Task InitializeAsync() => _server = await OpcUaServerPeer.StartAsync();

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Import_prints_the_proposed_node_map_as_a_PUT_body_and_refuses_bad_options()
    {
        var (code, output, error) = await RunAsync((o, e) => OpcUaImportCommand.ImportAsync(
            new OpcUaConnection(Server.Endpoint, User: "operator", Password: "secret"), 6, 500, null, o, e, default));

        Assert.True(code == ExitCodes.Ok, error);
        var proposal = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        var connection = proposal["connection"]!;
        Assert.Equal(Server.Endpoint, connection["endpoint"]!.GetValue<string>());
        Assert.Equal("None", connection["security"]!.GetValue<string>());
        Assert.Equal(500, connection["publishingIntervalMs"]!.GetValue<int>());
        var found = proposal["found"]!.AsArray().ToDictionary(n => n!["tag"]!.GetValue<string>());
        Assert.Equal(("/Objects/2:Machine/2:Counter", "UInt32", "ns=2;s=Counter"),
            (found["Machine.Counter"]!["browsePath"]!.GetValue<string>(), found["Machine.Counter"]!["dataType"]!.GetValue<string>(), found["Machine.Counter"]!["resolvedNodeId"]!.GetValue<string>()));
        var entry = connection["nodes"]!.AsArray().Single(n => n!["tag"]!.GetValue<string>() == "Machine.Counter")!;
        Assert.Equal(("/Objects/2:Machine/2:Counter", 500), (entry["browsePath"]!.GetValue<string>(), entry["samplingIntervalMs"]!.GetValue<int>()));
        Assert.Equal("Boolean", found["Machine.Scalars.Boolean"]!["dataType"]!.GetValue<string>());
        Assert.DoesNotContain("Machine.Scalars.String", found.Keys);
        Assert.Equal(found.Count, connection["nodes"]!.AsArray().Count);
        Assert.False(proposal["truncated"]!.GetValue<bool>());

        var (depth, _, depthError) = await RunAsync((o, e) => OpcUaImportCommand.ImportAsync(new OpcUaConnection(Server.Endpoint), 11, 1000, null, o, e, default));
        var (closed, _, closedError) = await RunAsync((o, e) => OpcUaImportCommand.ImportAsync(new OpcUaConnection("opc.tcp://127.0.0.1:1"), 6, 1000, null, o, e, default));
        Assert.Equal(ExitCodes.InvalidInput, depth);
        Assert.Contains("--depth must be between 1 and 10", depthError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unreachable, closed);
        Assert.StartsWith("millwright: ", closedError, StringComparison.Ordinal);
        Assert.Contains("opc.tcp://127.0.0.1:1", closedError, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(Func<TextWriter, TextWriter, Task<int>> run)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await run(output, error);
        return (code, output.ToString(), error.ToString());
    }
}
