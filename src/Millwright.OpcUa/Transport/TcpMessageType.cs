namespace Millwright.OpcUa.Transport;

/// <summary>The three ASCII bytes that open every UA-TCP message (OPC 10000-6 7.1.2.2), as a little-endian number.</summary>
internal enum TcpMessageType : uint
{
    Hello = 'H' | ('E' << 8) | ('L' << 16),
    Acknowledge = 'A' | ('C' << 8) | ('K' << 16),
    Error = 'E' | ('R' << 8) | ('R' << 16),
    ReverseHello = 'R' | ('H' << 8) | ('E' << 16),
    Message = 'M' | ('S' << 8) | ('G' << 16),
    Open = 'O' | ('P' << 8) | ('N' << 16),
    Close = 'C' | ('L' << 8) | ('O' << 16),
}
