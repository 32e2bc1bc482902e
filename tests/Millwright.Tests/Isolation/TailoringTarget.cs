using System.Net;
using Millwright.Tests.Harness;
using Millwright.Tests.Tailoring;

namespace Millwright.Tests.Isolation;

/// <summary>Tenant A's made-to-measure for the walks: a customer and an order named with the marker, and the order's DXF hash.</summary>
public sealed record TailoringTarget(long CustomerId, long OrderId, string DxfSha256)
{
    public static readonly TailoringTarget None = new(0, 0, new string('0', 64));

    /// <summary>Uses the plant's item, whose routing the walk has set; the order stays planned, so the planner leaves it alone.</summary>
    public static async Task<TailoringTarget> CreateAsync(TestTenant a, Plant plant)
    {
        var customer = await a.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = $"{plant.Marker} tailor customer", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created);
        var placed = await a.Operator.PostJsonAsync("/api/v1/c2m/orders", new
        {
            customerId = customer.Id(), garment = "trousers", fabric = new { name = $"{plant.Marker} cloth" }, number = $"{plant.Marker}-mtm",
            itemId = plant.ItemId, siteId = plant.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(2),
        }, HttpStatusCode.Created);
        var sha = placed["madeToMeasure"]!["links"]!["dxfFile"]!.GetValue<string>().Split('/')[^1];
        return new TailoringTarget(customer.Id(), placed["order"]!.Id(), sha);
    }

    public IEnumerable<string> SnapshotPaths() => ["/api/v1/c2m/customers", $"/api/v1/c2m/customers/{CustomerId}", "/api/v1/c2m/orders", $"/api/v1/c2m/orders/{OrderId}"];
}
