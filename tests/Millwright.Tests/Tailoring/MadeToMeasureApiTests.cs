using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Tailoring;

/// <summary>
/// Customers and made-to-measure orders over REST without machines: measurements checked and completed, refusals
/// naming the measurement, the order's size and files, and another tenant seeing none of it.
/// </summary>
public abstract class MadeToMeasureApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_customer_given_four_measurements_is_stored_complete_with_a_base_size_and_alterations()
    {
        using var t = await Host.CreateTenantAsync("mtm-c");
        var created = await t.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "B. Customer", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created);

        var customer = await t.Viewer.GetJsonAsync($"/api/v1/c2m/customers/{created.Id()}");
        Assert.Equal(4, customer["given"]!.AsObject().Count);
        var measurements = customer["measurements"]!.AsObject();
        Assert.All(TestBodies.Tailoring, name => Assert.True(measurements[name]!.GetValue<double>() > 0, name));

        // Given values are kept as given; the size is the menswear chart's, with an alteration per control measurement.
        Assert.Equal(1040, measurements["chestcircumference"]!.GetValue<double>());
        Assert.Equal("menswear", customer["size"]!["chart"]!.GetValue<string>());
        Assert.Matches("^[0-9]+-[0-9]+$", customer["size"]!["designation"]!.GetValue<string>());
        Assert.Equal(7, customer["size"]!["alterations"]!.AsObject().Count);
        Assert.Single(await t.Viewer.ListAsync("/api/v1/c2m/customers"));
    }

    [Fact]
    public async Task Implausible_measurements_are_refused_with_a_problem_naming_the_field()
    {
        using var t = await Host.CreateTenantAsync("mtm-bad");
        var plant = await Plant.CreateAsync(t);
        await RouteAsync(t, plant);

        // A waist no body of that height and weight has.
        var waist = TestBodies.Man();
        waist["waistcircumference"] = 2600;
        var problem = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/customers", new { name = "Wide", sex = "male", measurements = waist },
            HttpStatusCode.UnprocessableEntity, "waistcircumference");
        Assert.NotNull(problem["errors"]!["measurements.waistcircumference"]);
        Assert.Equal("implausible", problem["problem"]!.GetValue<string>());

        // A stature in inches says so.
        var inches = TestBodies.Man();
        inches["stature"] = 70;
        var tape = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/customers", new { name = "Tape", sex = "male", measurements = inches },
            HttpStatusCode.UnprocessableEntity, "inches");
        Assert.NotNull(tape["errors"]!["measurements.stature"]);

        // An unknown name is the client's mistake, named too; so are a missing sex and an unknown garment.
        var unknown = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/customers",
            new { name = "Shoe", sex = "male", measurements = new Dictionary<string, double> { ["shoesize"] = 43 } }, HttpStatusCode.BadRequest, "shoesize");
        Assert.NotNull(unknown["errors"]!["measurements.shoesize"]);
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/customers", new { name = "Nobody", measurements = TestBodies.Man() }, HttpStatusCode.BadRequest, "sex");

        // The same refusal on an order given measurements directly, and nothing is stored or ordered.
        var order = await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/orders", new
        {
            sex = "male", measurements = waist, garment = "jacket", customer = "Wide", itemId = plant.ItemId, siteId = plant.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.UnprocessableEntity, "waistcircumference");
        Assert.NotNull(order["errors"]!["measurements.waistcircumference"]);
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/orders", new
        {
            sex = "male", measurements = TestBodies.Man(), garment = "cape", customer = "Cape", itemId = plant.ItemId, siteId = plant.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.BadRequest, "garment");
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/c2m/customers"));
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/c2m/orders"));
        Assert.Empty(await t.Viewer.ListAsync("/api/v1/orders"));
    }

    [Fact]
    public async Task An_order_from_measurements_is_sized_drafted_and_its_files_served_to_people_and_to_the_tenants_machines_only()
    {
        using var a = await Host.CreateTenantAsync("mtm-a");
        using var b = await Host.CreateTenantAsync("mtm-b");
        var plantA = await Plant.CreateAsync(a);
        var plantB = await Plant.CreateAsync(b);
        await RouteAsync(a, plantA);
        var customer = await a.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "C. Customer", sex = "male", measurements = TestBodies.Man() }, HttpStatusCode.Created);
        var placed = await a.Operator.PostJsonAsync("/api/v1/c2m/orders", new
        {
            sex = "male", measurements = TestBodies.Man(), garment = "trousers", fabric = new { name = "flannel", widthMm = 1400 },
            customer = "C. Customer", itemId = plantA.ItemId, siteId = plantA.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.Created);
        var orderId = placed["order"]!.Id();
        var mtm = placed["madeToMeasure"]!;
        Assert.Equal("trousers", mtm["garment"]!.GetValue<string>());
        Assert.Equal(1400, mtm["fabricWidthMm"]!.GetValue<double>());
        Assert.True(mtm["markerLengthMm"]!.GetValue<double>() > 0);
        Assert.Equal("planned", placed["order"]!["status"]!.GetValue<string>());
        var marker = await a.Viewer.GetJsonAsync($"/api/v1/c2m/orders/{orderId}/marker.json");
        Assert.Equal(mtm["pieces"]!.GetValue<int>(), marker["pieces"]!.AsArray().Count);
        Assert.Contains("ENTITIES", await a.Viewer.GetStringAsync($"/api/v1/c2m/orders/{orderId}/pattern.dxf"), StringComparison.Ordinal);
        Assert.Contains("<svg", await a.Viewer.GetStringAsync($"/api/v1/c2m/orders/{orderId}/marker.svg"), StringComparison.Ordinal);
        var dxfPath = mtm["links"]!["dxfFile"]!.GetValue<string>();

        // The cutting and sewing jobs are planned from the garment's lengths at the documented rates; finishing keeps the routing's time.
        var jobs = placed["order"]!["jobs"]!.AsArray().ToDictionary(j => j!["capability"]!.GetValue<string>(), j => j!["unitSeconds"]!.GetValue<double>());
        var cut = mtm["cutLengthMm"]!.GetValue<double>();
        var seams = mtm["seamLengthMm"]!.GetValue<double>();
        Assert.Equal(Math.Ceiling(cut / 250 * 1000) / 1000, jobs["cutting"], 3);
        Assert.Equal(Math.Ceiling(((seams / 40) + (mtm["pieces"]!.GetValue<int>() * 45)) * 1000) / 1000, jobs["sewing"], 3);
        Assert.Equal(600, jobs["finishing"]);
        Assert.NotEqual(60, jobs["cutting"]);

        // A's machine fetches the DXF with its device credential; B's machine, an API key and no credential do not.
        using (var machineA = Device(plantA))
        using (var response = await machineA.GetAsync(dxfPath))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var machineB = Device(plantB))
        using (var response = await machineB.GetAsync(dxfPath))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var response = await a.Admin.GetAsync(dxfPath))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // B sees nothing of A's customers and orders, and cannot order for A's customer.
        await b.Viewer.GetJsonAsync($"/api/v1/c2m/customers/{customer.Id()}", HttpStatusCode.NotFound);
        await b.Viewer.GetJsonAsync($"/api/v1/c2m/orders/{orderId}", HttpStatusCode.NotFound);
        await b.Viewer.GetJsonAsync($"/api/v1/c2m/orders/{orderId}/marker.json", HttpStatusCode.NotFound);
        Assert.Empty(await b.Viewer.ListAsync("/api/v1/c2m/customers"));
        Assert.Empty(await b.Viewer.ListAsync("/api/v1/c2m/orders"));
        await b.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/orders", new
        {
            customerId = customer.Id(), garment = "jacket", customer = "Thief", itemId = plantB.ItemId, siteId = plantB.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.NotFound, "customer");

        // A woman's body is sized on the womenswear chart and drafted in a womenswear block: a skirt, not the men's jacket.
        var woman = await a.Operator.PostJsonAsync("/api/v1/c2m/customers", new { name = "D. Customer", sex = "female", measurements = TestBodies.Woman() }, HttpStatusCode.Created);
        Assert.Equal("womenswear", woman["size"]!["chart"]!.GetValue<string>());
        await a.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/c2m/orders", new
        {
            customerId = woman.Id(), garment = "jacket", itemId = plantA.ItemId, siteId = plantA.SiteId, dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.UnprocessableEntity, "skirt or trousers");
        var skirt = await a.Operator.PostJsonAsync("/api/v1/c2m/orders", new
        {
            customerId = woman.Id(), garment = "skirt", fabric = new { name = "wool crepe", widthMm = 1400 }, itemId = plantA.ItemId, siteId = plantA.SiteId,
            dueAt = DateTimeOffset.UtcNow.AddDays(1),
        }, HttpStatusCode.Created);
        var skirtMtm = skirt["madeToMeasure"]!;
        Assert.Equal("skirt", skirtMtm["garment"]!.GetValue<string>());
        Assert.Equal(woman["size"]!["designation"]!.GetValue<string>(), skirtMtm["size"]!["designation"]!.GetValue<string>());
        Assert.Equal(4, skirtMtm["pieces"]!.GetValue<int>()); // the front, the back as a left and a right, the waistband
        var skirtMarker = await a.Viewer.GetJsonAsync($"/api/v1/c2m/orders/{skirt["order"]!.Id()}/marker.json");
        Assert.Equal(new[] { "back", "back", "front", "waistband" }, skirtMarker["pieces"]!.AsArray().Select(p => p!["piece"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var skirtJobs = skirt["order"]!["jobs"]!.AsArray().ToDictionary(j => j!["capability"]!.GetValue<string>(), j => j!["unitSeconds"]!.GetValue<double>());
        Assert.Equal(Math.Ceiling(skirtMtm["cutLengthMm"]!.GetValue<double>() / 250 * 1000) / 1000, skirtJobs["cutting"], 3);
    }

    /// <summary>Cut, sew, finish on the plant's one machine (an order needs a routing whose capabilities a machine has).</summary>
    internal static async Task RouteAsync(TestTenant t, Plant plant)
    {
        await t.Admin.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/capabilities", new { capabilities = new[] { "cutting", "sewing", "finishing" } }, HttpStatusCode.OK);
        await t.Admin.PutJsonAsync($"/api/v1/items/{plant.ItemId}/routing", new
        {
            operations = new object[]
            {
                new { id = "10", name = "Cut", capability = "cutting", unitSeconds = 60 },
                new { id = "20", name = "Sew", capability = "sewing", unitSeconds = 1800 },
                new { id = "30", name = "Finish", capability = "finishing", unitSeconds = 600 },
            },
        }, HttpStatusCode.OK);
    }

    private HttpClient Device(Plant plant)
    {
        var client = Host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        return client;
    }

    public sealed class OnSqlite(SqliteHost host) : MadeToMeasureApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : MadeToMeasureApiTests(host), IClassFixture<PostgresHost>;
}
