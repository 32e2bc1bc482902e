using System.Net;

namespace Millwright.Mqtt.Server;

/// <summary>A connected client as the gate sees it: who it said it is and what the gate decided it is.</summary>
public sealed class MqttClient(string clientId, string? userName, EndPoint? remote, MqttProtocolVersion version, object? principal)
{
    public string ClientId { get; } = clientId;

    public string? UserName { get; } = userName;

    public EndPoint? Remote { get; } = remote;

    public MqttProtocolVersion Version { get; } = version;

    /// <summary>Whatever the gate attached at CONNECT (a device identity, an API key's caller).</summary>
    public object? Principal { get; } = principal;

    /// <summary>The account the gate named for this client, set once at CONNECT by its connection.</summary>
    internal MqttAccount? Account { get; set; }

    /// <summary>The key of the session this client is bound to, set once the gate named it.</summary>
    internal string? SessionKey { get; set; }
}
