using System.CommandLine;

namespace Millwright.Cli;

/// <summary>The endpoint argument and the security and user options every <c>opcua</c> command takes.</summary>
internal sealed class OpcUaConnectionArguments
{
    private readonly Argument<string> _endpoint = new("endpoint") { Description = "opc.tcp://HOST:PORT[/path]" };
    private readonly Option<string> _security = new("--security") { Description = "None or Basic256Sha256", DefaultValueFactory = _ => "None" };
    private readonly Option<string> _mode = new("--mode") { Description = "Sign or SignAndEncrypt (with Basic256Sha256)", DefaultValueFactory = _ => "SignAndEncrypt" };
    private readonly Option<string> _pki = new("--pki")
    {
        Description = "PKI directory: own/ (the client certificate, made on first use), trusted/ (server certificates to accept), rejected/",
        DefaultValueFactory = _ => "./data/opcua/pki",
    };
    private readonly Option<string?> _user = new("--user") { Description = "User name for the session (else anonymous)" };
    private readonly Option<string?> _password = new("--password") { Description = "Password of --user" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(_endpoint);
        command.Options.Add(_security);
        command.Options.Add(_mode);
        command.Options.Add(_pki);
        command.Options.Add(_user);
        command.Options.Add(_password);
    }

    public OpcUaConnection Read(ParseResult result) =>
        new(result.GetValue(_endpoint)!, result.GetValue(_security)!, result.GetValue(_user), result.GetValue(_password), result.GetValue(_mode)!,
            Path.GetFullPath(result.GetValue(_pki)!));
}
