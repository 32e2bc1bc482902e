namespace Millwright.Testing;

/// <summary>A message as a third-party peer reported receiving it.</summary>
internal sealed record PeerMessage(string Topic, string Payload, int QoS, bool Retain, IReadOnlyList<KeyValuePair<string, string>> UserProperties)
{
    /// <summary>The fields every version carries, for comparing whole messages.</summary>
    public (string Topic, string Payload, int QoS, bool Retain) Core => (Topic, Payload, QoS, Retain);
}
