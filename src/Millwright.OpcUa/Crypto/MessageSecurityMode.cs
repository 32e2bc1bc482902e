namespace Millwright.OpcUa.Crypto;

/// <summary>MessageSecurityMode (OPC 10000-4 7.20): how a secure channel protects its messages.</summary>
internal enum MessageSecurityMode
{
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}
