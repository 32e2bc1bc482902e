using Millwright.Simulator.Drivers;

namespace Millwright.Cli;

/// <summary>The parsed options of <c>millwright simulate</c>.</summary>
internal sealed record SimulateArguments(int Machines, BrokerAddress Broker, Uri Api, string Key, TimeSpan Interval, int Seed, int ModbusBasePort);
