using Millwright.Tests.Embroidery;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>Tenant A's embroidery for the walks: one design named with the marker, and its stitch file's hash.</summary>
public sealed record EmbroideryTarget(long DesignId, string Sha256)
{
    public static readonly EmbroideryTarget None = new(0, new string('0', 64));

    public static async Task<EmbroideryTarget> CreateAsync(TestTenant a, string marker)
    {
        var design = await TestDesigns.CreateAsync(a.Operator, $"{marker} design");
        return new EmbroideryTarget(design.Id(), design["sha256"]!.GetValue<string>());
    }

    public IEnumerable<string> SnapshotPaths() => ["/api/v1/embroidery/designs", $"/api/v1/embroidery/designs/{DesignId}"];
}
