namespace Millwright.Cli;

/// <summary>The endpoint and credentials an <c>opcua</c> command connects with.</summary>
internal sealed record OpcUaConnection(string Endpoint, string Security = "None", string? User = null, string? Password = null);
