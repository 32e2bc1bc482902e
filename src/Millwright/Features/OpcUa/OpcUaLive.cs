using Millwright.OpcUa;

namespace Millwright.Features.OpcUa;

/// <summary>A machine's OPC UA session while it is up: commands are called over it; <see cref="Stopping"/> fires when it ends.</summary>
internal sealed record OpcUaLive(OpcUaClient Client, OpcUaCommandMapDto? Commands, string Endpoint, CancellationToken Stopping);
