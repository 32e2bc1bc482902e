using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Millwright.Scheduling.Erp;
using Millwright.Testing;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Erp;

/// <summary>Completed orders POSTed to the tenant's ERP, signed, once each, retried until the ERP takes them.</summary>
public abstract class ErpWebhookTests(ProductionHost fixture)
{
    private const string Secret = "erp-shared-secret-0123";

    private static readonly XNamespace B = B2mmlPerformance.Namespace;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_completed_order_reaches_the_erp_signed_and_is_tried_again_until_the_erp_takes_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        await using var cell = await ProductionCell.CreateAsync(Host);
        var hook = await cell.Tenant.Admin.PutJsonAsync("/api/v1/erp/webhook", new { url = receiver.Url.ToString(), secret = Secret }, HttpStatusCode.OK);
        Assert.Null(hook["secret"]);

        var order = await cell.OrderAsync(5, TimeSpan.FromHours(2));
        await ErpPerformanceTests.RunToCompletionAsync(cell, order.Id());

        var delivered = await Eventually.ValueAsync(
            async () => (await cell.Tenant.Viewer.GetJsonAsync("/api/v1/erp/webhook/deliveries")).AsArray(),
            d => d.Count == 1 && d[0]!["outcome"]!.GetValue<string>() == "delivered", "the delivery to be made", TimeSpan.FromSeconds(15));
        Assert.Equal(2, delivered[0]!["attempts"]!.GetValue<int>());
        Assert.Equal(200, delivered[0]!["statusCode"]!.GetValue<int>());
        Assert.Null(delivered[0]!["nextAt"]); // taken: never tried again

        // Both tries carried the same delivery id and a valid signature over the timestamp and the document.
        var requests = receiver.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r =>
        {
            Assert.Equal("order.completed", r.Headers["X-Millwright-Event"]);
            Assert.Equal(delivered[0]!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), r.Headers["X-Millwright-Delivery"]);
            var signed = Encoding.UTF8.GetBytes(r.Headers["X-Millwright-Timestamp"] + "." + r.Body);
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed)), r.Headers["X-Millwright-Signature"]);
            var response = XDocument.Parse(r.Body).Root!.Element(B + "ProductionResponse")!;
            Assert.Equal(order["number"]!.GetValue<string>(), response.Element(B + "ID")!.Value);
            Assert.Equal("Completed", response.Element(B + "ResponseState")!.Value);
        });
    }

    [Fact]
    public async Task A_webhook_without_a_secret_or_to_a_forbidden_address_is_refused_and_none_is_set()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var admin = cell.Tenant.Admin;
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/erp/webhook")).StatusCode);

        var noSecret = await admin.PutJsonAsync("/api/v1/erp/webhook", new { url = "https://erp.example.com/in" }, HttpStatusCode.BadRequest);
        Assert.Contains("secret", noSecret.ToJsonString(), StringComparison.Ordinal);
        var ftp = await admin.PutJsonAsync("/api/v1/erp/webhook", new { url = "ftp://erp.example.com/in", secret = Secret }, HttpStatusCode.BadRequest);
        Assert.Contains("scheme", ftp.ToJsonString(), StringComparison.Ordinal);
        var metadata = await admin.PutJsonAsync("/api/v1/erp/webhook", new { url = "http://169.254.169.254/latest", secret = Secret }, HttpStatusCode.BadRequest);
        Assert.Contains("url", metadata.ToJsonString(), StringComparison.Ordinal);
        await cell.Tenant.Operator.PutJsonAsync("/api/v1/erp/webhook", new { url = "https://erp.example.com/in", secret = Secret }, HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/erp/webhook")).StatusCode);
    }

    public sealed class OnSqlite(SqliteProductionHost host) : ErpWebhookTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ErpWebhookTests(host), IClassFixture<PostgresProductionHost>;
}
