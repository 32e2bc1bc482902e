using System.CommandLine;

namespace Millwright.Cli;

/// <summary>The endpoint argument and the security and user options every <c>opcua</c> command takes.</summary>
internal sealed class OpcUaConnectionArguments
{
    private readonly Argument<string> _endpoint = new("endpoint") { Description = "opc.tcp://HOST:PORT[/path]" };
    private readonly Option<string> _security = new("--security") { Description = "None (Basic256Sha256 is not built yet)", DefaultValueFactory = _ => "None" };
    private readonly Option<string?> _user = new("--user") { Description = "User name for the session (else anonymous)" };
    private readonly Option<string?> _password = new("--password") { Description = "Password of --user" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_endpoint);
        command.Options.Add(_security);
        command.Options.Add(_user);
        command.Options.Add(_password);
    }

    public OpcUaConnection Read(ParseResult result) =>
        new(result.GetValue(_endpoint)!, result.GetValue(_security)!, result.GetValue(_user), result.GetValue(_password));
}
