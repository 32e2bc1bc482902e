namespace Millwright.Cli;

/// <summary>
/// The endpoint and credentials an <c>opcua</c> command connects with; under Basic256Sha256, the mode and the PKI
/// directory (the client certificate in own/, trusted server certificates in trusted/, refused ones in rejected/).
/// </summary>
internal sealed record OpcUaConnection(string Endpoint, string Security = "None", string? User = null, string? Password = null,
    string Mode = "SignAndEncrypt", string Pki = "./data/opcua/pki");
