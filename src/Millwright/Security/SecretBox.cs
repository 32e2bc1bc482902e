using System.Security.Cryptography;
using System.Text;
using Millwright.Hosting;

namespace Millwright.Security;

/// <summary>
/// Encrypts secrets the platform must use again in clear (a feed's password for HTTP Basic), so a copy of the
/// database alone does not reveal them: AES-256-GCM under a key kept in the data directory (<c>secrets.key</c>,
/// 32 random bytes, owner-only, made on first use), the tenant id as associated data (a value copied into
/// another tenant's row does not decrypt). Stored as <c>v1:</c> + base64(nonce | tag | ciphertext). A value
/// without the prefix is a clear text written before encryption existed: read as is, encrypted when next written.
/// Nodes of a cluster must share the key file.
/// </summary>
internal sealed class SecretBox
{
    public const string FileName = "secrets.key";
    private const string Prefix = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("the secret key must be 32 bytes", nameof(key));
        }

        _key = key;
    }

    /// <summary>The key in <paramref name="dataDirectory"/>, made (owner-only) when missing.</summary>
    public static SecretBox FromDirectory(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            OwnerOnly.CreateDirectory(dataDirectory);
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temporary = path + ".new";
            OwnerOnly.CreateFile(temporary);
            File.WriteAllBytes(temporary, fresh);
            try
            {
                // Another process may have made it meanwhile: its key wins, ours is thrown away.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? new SecretBox(key) : throw new InvalidOperationException($"{path} must hold 32 bytes (it holds {key.Length})");
    }

    public string Seal(long tenantId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Associated(tenantId));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The clear text; a value that does not open under this key and tenant is an error naming the cause.</summary>
    public string Open(long tenantId, string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored;
        }

        var bytes = Convert.FromBase64String(stored[Prefix.Length..]);
        if (bytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("the stored secret is truncated");
        }

        var plain = new byte[bytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes + TagBytes), bytes.AsSpan(NonceBytes, TagBytes), plain, Associated(tenantId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Associated(long tenantId) => Encoding.ASCII.GetBytes("millwright-secret/tenant/" + tenantId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
