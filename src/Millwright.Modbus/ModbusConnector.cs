using System.Net.Sockets;

namespace Millwright.Modbus;

/// <summary>
/// Opens the TCP connection to a device. The platform passes one that checks its egress policy and connects to the
/// checked address; it throws <see cref="ModbusConnectionDeniedException"/> to refuse.
/// </summary>
public delegate Task<Socket> ModbusConnector(string host, int port, CancellationToken cancellationToken);
