namespace Millwright.Web;

internal sealed record DashboardAsset(byte[] Bytes, string ContentType, string ETag);
