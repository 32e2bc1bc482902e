namespace Millwright.Features.Cluster;

/// <summary>A lease this node holds on one bucket: its fencing token and when it runs out (Unix ms).</summary>
internal readonly record struct BucketLease(int Bucket, long Token, long ExpiresAt);
