using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;

namespace Millwright.Cli;

/// <summary>The parsed options of <c>millwright simulate</c>; <see cref="Jobs"/> is null unless <c>--take-jobs</c>.</summary>
internal sealed record SimulateArguments(int Machines, BrokerAddress Broker, Uri Api, string Key, TimeSpan Interval, int Seed, int ModbusBasePort, JobMode? Jobs = null);
