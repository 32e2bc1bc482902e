using System.Net;
using System.Net.Http.Json;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Tailoring;

/// <summary>Editing and deleting stored customers: checked again like a new one, audited, tenant-scoped, counted against a quota.</summary>
public abstract class CustomerEditTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_customer_is_edited_checked_again_and_deleted_with_each_change_audited_and_another_tenant_can_do_neither()
    {
        using var a = await Host.CreateTenantAsync("mtm-edit-a");
        using var b = await Host.CreateTenantAsync("mtm-edit-b");
        var created = await a.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "E. Customer", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created);
        var path = $"/api/v1/c2m/customers/{created.Id()}";
        var before = created["measurements"]!["thighcircumference"]!.GetValue<double>();

        // A heavier body, measured again: the given values are replaced and the rest completed again.
        var heavier = TestBodies.Man();
        heavier["weightkg"] = 980;
        heavier["chestcircumference"] = 1120;
        heavier["waistcircumference"] = 1040;
        var edited = await a.Operator.PutJsonAsync(path, new { name = "E. Customer (2027)", sex = "male", measurements = heavier }, HttpStatusCode.OK);
        Assert.Equal("E. Customer (2027)", edited["name"]!.GetValue<string>());
        Assert.Equal(1120, edited["measurements"]!["chestcircumference"]!.GetValue<double>());
        Assert.True(edited["measurements"]!["thighcircumference"]!.GetValue<double>() > before);
        Assert.Equal(edited["size"]!.ToJsonString(), (await a.Viewer.GetJsonAsync(path))["size"]!.ToJsonString());

        // An implausible edit is refused naming the measurement, and the stored profile is unchanged.
        var wide = TestBodies.Man();
        wide["waistcircumference"] = 2600;
        var problem = await a.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { name = "Wide", sex = "male", measurements = wide },
            HttpStatusCode.UnprocessableEntity, "waistcircumference");
        Assert.NotNull(problem["errors"]!["measurements.waistcircumference"]);
        Assert.Equal("E. Customer (2027)", (await a.Viewer.GetJsonAsync(path))["name"]!.GetValue<string>());

        // A viewer may not edit; another tenant finds nothing to edit or delete, and A's customer is untouched.
        using (var response = await a.Viewer.PutAsJsonAsync(path, new { name = "Viewer", sex = "male", measurements = TestBodies.Man() }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await b.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { name = "Thief", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.NotFound, "customer");
        await b.Operator.DeleteAsync(path, HttpStatusCode.NotFound);
        Assert.Equal("E. Customer (2027)", (await a.Viewer.GetJsonAsync(path))["name"]!.GetValue<string>());

        await a.Operator.DeleteAsync(path, HttpStatusCode.NoContent);
        await a.Viewer.GetJsonAsync(path, HttpStatusCode.NotFound);
        await a.Operator.DeleteAsync(path, HttpStatusCode.NotFound);
        await a.Operator.SendExpectingProblemAsync(HttpMethod.Put, path, new { name = "Gone", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.NotFound, "customer");

        var audit = await a.Admin.ListAsync($"/api/v1/audit?entity=c2m-customer&entityId={created.Id()}");
        Assert.Equal(["create", "update", "delete"], audit.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Contains($"operator of {a.Slug}", audit[2]!["actor"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_customers_orders_stay_with_the_measurements_they_were_drafted_from()
    {
        using var t = await Host.CreateTenantAsync("mtm-del");
        var plant = await Plant.CreateAsync(t);
        await MadeToMeasureApiTests.RouteAsync(t, plant);
        var customer = await t.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "F. Customer", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created);
        var placed = await t.Operator.PostJsonAsync("/api/v1/c2m/orders", new
        {
            customerId = customer.Id(), garment = "trousers", itemId = plant.ItemId, siteId = plant.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.Created);
        var orderId = placed["order"]!.Id();
        Assert.Equal(customer.Id(), placed["madeToMeasure"]!["customerId"]!.GetValue<long>());

        await t.Operator.DeleteAsync($"/api/v1/c2m/customers/{customer.Id()}", HttpStatusCode.NoContent);

        var order = await t.Viewer.GetJsonAsync($"/api/v1/c2m/orders/{orderId}");
        Assert.Null(order["madeToMeasure"]!["customerId"]);
        Assert.Equal(placed["madeToMeasure"]!["size"]!.ToJsonString(), order["madeToMeasure"]!["size"]!.ToJsonString());
        Assert.Contains("ENTITIES", await t.Viewer.GetStringAsync($"/api/v1/c2m/orders/{orderId}/pattern.dxf"), StringComparison.Ordinal);
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/c2m/customers"));
    }

    [Fact]
    public async Task The_customers_quota_is_kept_and_named_and_a_deletion_makes_room()
    {
        using var t = await Host.CreateTenantAsync("mtm-quota");
        var ids = new List<long>();
        for (var i = 0; i < TailoringSqliteHost.CustomersQuota; i++)
        {
            ids.Add((await t.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = $"Q{i}", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created)).Id());
        }

        var problem = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/customers", new { name = "One too many", sex = "male", measurements = TestBodies.Man() },
            HttpStatusCode.Forbidden, "c2m-customers");
        Assert.Equal("c2m-customers", problem["quota"]!.GetValue<string>());
        var quota = (await t.Viewer.GetJsonAsync("/api/v1/quotas"))["quotas"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == "c2m-customers")!;
        Assert.Equal(TailoringSqliteHost.CustomersQuota, quota["used"]!.GetValue<long>());
        Assert.Equal(TailoringSqliteHost.CustomersQuota, quota["limit"]!.GetValue<long>());

        // Editing is no new customer; deleting one makes room for another.
        await t.Operator.PutJsonAsync($"/api/v1/c2m/customers/{ids[0]}", new { name = "Q0 again", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.OK);
        await t.Operator.DeleteAsync($"/api/v1/c2m/customers/{ids[1]}", HttpStatusCode.NoContent);
        await t.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "Room again", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created);
    }

    public sealed class OnSqlite(TailoringSqliteHost host) : CustomerEditTests(host), IClassFixture<TailoringSqliteHost>;

    public sealed class OnPostgres(TailoringPostgresHost host) : CustomerEditTests(host), IClassFixture<TailoringPostgresHost>;
}
