using System.Text.Json.Nodes;

namespace Millwright.Design;

/// <summary>A message of the server other than operations and acknowledgements (welcome, error, reverted, presence, state), as received.</summary>
internal sealed record ChannelEvent(string Type, JsonNode Message);
