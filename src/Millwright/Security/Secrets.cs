using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Millwright.Security;

/// <summary>Generation and hashing of API keys and device secrets. Nothing secret is ever stored in clear.</summary>
internal static class Secrets
{
    public const string ApiKeyPrefix = "mwk_";

    // Device secrets are 256-bit random strings, so the iteration count guards against a leaked table
    // rather than weak passwords; 100k keeps a reconnect storm of a thousand devices within seconds.
    public const int DeviceIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A key reads <c>mwk_{publicId}_{secret}</c>: the public id finds the row, the secret proves possession.</summary>
    public static (string PublicId, string Key) NewApiKey()
    {
        var publicId = RandomToken(12);
        return (publicId, $"{ApiKeyPrefix}{publicId}_{RandomToken(40)}");
    }

    public static bool TrySplitApiKey(string key, out string publicId, out string secret)
    {
        publicId = secret = "";
        if (!key.StartsWith(ApiKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(ApiKeyPrefix.Length);
        var split = rest.IndexOf('_');
        if (split <= 0 || split == rest.Length - 1)
        {
            return false;
        }

        publicId = rest[..split].ToString();
        secret = rest[(split + 1)..].ToString();
        return true;
    }

    /// <summary>API key secrets carry 200 random bits, so one SHA-256 suffices and keeps every request cheap.</summary>
    public static string HashApiKey(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool VerifyApiKey(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashApiKey(key)), Encoding.ASCII.GetBytes(storedHash));

    public static string NewDeviceUsername() => "d-" + RandomToken(16);

    public static string NewDeviceSecret() => RandomToken(52);

    /// <summary>Salted PBKDF2-SHA256, stored as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64).</summary>
    public static string HashDeviceSecret(string secret, int iterations = DeviceIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool VerifyDeviceSecret(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string RandomToken(int length) => RandomNumberGenerator.GetString(Base32, length);
}
