namespace Millwright.Simulator.Drivers;

/// <summary>Where the MQTT drivers connect, and the tenant slug that is the first level of every topic.</summary>
internal sealed record BrokerAddress(string Host, int Port, string Tenant);
