namespace Millwright.OpcUa.Crypto;

/// <summary>One side's keys for a security token (OPC 10000-6 6.7.5): HMAC key, AES key and the CBC initialization vector.</summary>
internal sealed record SymmetricKeys(byte[] SigningKey, byte[] EncryptingKey, byte[] Iv);
