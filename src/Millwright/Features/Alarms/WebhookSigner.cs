using System.Security.Cryptography;
using System.Text;

namespace Millwright.Features.Alarms;

/// <summary>
/// The signature a receiver checks: <c>X-Millwright-Signature: sha256=</c> lower-case hex of HMAC-SHA256, keyed with
/// the webhook's secret, over <c>{X-Millwright-Timestamp}.{body}</c>. The timestamp inside the MAC lets receivers
/// refuse replays of old deliveries.
/// </summary>
internal static class WebhookSigner
{
    public const string SignatureHeader = "X-Millwright-Signature";
    public const string TimestampHeader = "X-Millwright-Timestamp";
    public const string EventHeader = "X-Millwright-Event";
    public const string DeliveryHeader = "X-Millwright-Delivery";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }
}
