using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Millwright.Simulator.Provisioning;

namespace Millwright.Cli;

/// <summary>
/// The demo's customers: every 30-60 s one order for a product of <see cref="DemoCatalog"/>, released through the REST
/// API as a production manager would, so the planner, dispatch and the virtual factory have work. While
/// <paramref name="maxOpen"/> orders are open it releases nothing, so a long demo does not pile up a backlog;
/// raw material running low is received in a lot first, as a supplier would deliver it. When the shop has the
/// made-to-measure product (a tailoring cell), one release in four is instead a made-to-measure order for one of the
/// demo's tailored customers (<see cref="DemoCatalog.TailoredCustomers"/>), stored as a customer profile the first
/// time, so the cutter and sewing stations get garments drafted to a body.
/// </summary>
/// <param name="api">A client of the platform that sends a tenant operator's or admin's key.</param>
/// <param name="clearLine">Clear the terminal line first: the factory's status line is rewritten in place there.</param>
internal sealed class DemoOrderFeed(HttpClient api, TextWriter output, TimeProvider time, int seed, int maxOpen = 8, bool clearLine = false)
{
    private static readonly string[] Customers = ["Kessler Pumpen", "Lyon Outdoor", "Nordic Foundry", "Bauer Automotive", "Webshop (C2M)"];

    private readonly Random _random = new(seed);
    private readonly Dictionary<string, long> _items = new(StringComparer.Ordinal);
    private long _site;
    private bool? _tailoring;
    private int _nextTailored;
    private Dictionary<string, long>? _profiles;

    /// <summary>Releases an order after each random wait of 30-60 s until cancelled; a failed call is reported and the feed goes on.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(_random.Next(30, 61)), time, cancellationToken);
                await ReleaseOneAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                await SayAsync($"order feed: {e.Message}");
            }
        }
    }

    /// <summary>Releases one order and returns it; null when enough are open or the platform refused it (both reported).</summary>
    public async Task<JsonNode?> ReleaseOneAsync(CancellationToken cancellationToken)
    {
        var open = await CountOpenAsync(cancellationToken);
        if (open >= maxOpen)
        {
            await SayAsync($"{open} orders open; the next waits until one is done");
            return null;
        }

        if (await TailoringAsync(cancellationToken) && _random.Next(4) == 0)
        {
            return await ReleaseMadeToMeasureAsync(open, cancellationToken);
        }

        var product = DemoCatalog.Products[_random.Next(DemoCatalog.Products.Count)];
        var quantity = _random.Next(product.MinQuantity, product.MaxQuantity + 1);
        var due = time.GetUtcNow().AddMinutes(_random.Next(10, 61));
        var priority = _random.Next(1, 11) * 10;
        var customer = Customers[_random.Next(Customers.Length)];
        var site = await SiteAsync(cancellationToken);
        await ReplenishAsync(product, quantity, site, cancellationToken);
        using var response = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            customer, itemId = await ItemAsync(product.Sku, cancellationToken), siteId = site, quantity, dueAt = due, priority, release = true,
        }, cancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (!response.IsSuccessStatusCode)
        {
            await SayAsync($"order for {quantity} × {product.Sku} refused ({(int)response.StatusCode}): {body?["detail"] ?? body?["errors"]}");
            return null;
        }

        await SayAsync(string.Create(CultureInfo.InvariantCulture,
            $"order {body!["number"]} released: {quantity} × {product.Sku} ({product.Name}) for {customer}, due {due.ToLocalTime():HH:mm}, priority {priority}; {open + 1} open"));
        return body;
    }

    /// <summary>
    /// Places a made-to-measure order for the next tailored customer (drafted, nested and released by the platform)
    /// and returns the platform's answer (<c>order</c>, <c>madeToMeasure</c>); null when refused. A platform that
    /// cannot draft (503: no body model) gets no more of them.
    /// </summary>
    public async Task<JsonNode?> ReleaseMadeToMeasureAsync(int open, CancellationToken cancellationToken)
    {
        var who = DemoCatalog.TailoredCustomers[_nextTailored++ % DemoCatalog.TailoredCustomers.Count];
        var due = time.GetUtcNow().AddMinutes(_random.Next(30, 91));
        var priority = _random.Next(1, 11) * 10;
        var profile = await ProfileAsync(who, cancellationToken);
        if (profile is null)
        {
            return null;
        }

        using var response = await api.PostAsJsonAsync("/api/v1/c2m/orders", new
        {
            customerId = profile, garment = who.Garment, fabric = new { name = who.Garment == "skirt" ? "wool crepe" : "wool twill", widthMm = 1500 },
            itemId = await ItemAsync(DemoCatalog.MadeToMeasure.Sku, cancellationToken), siteId = await SiteAsync(cancellationToken), dueAt = due, priority, release = true,
        }, cancellationToken);
        var body = await RefusedAsync(response, $"made-to-measure {who.Garment} for {who.Name}", cancellationToken);
        if (body is null)
        {
            return null;
        }

        var mtm = body["madeToMeasure"]!;
        await SayAsync(string.Create(CultureInfo.InvariantCulture,
            $"made-to-measure order {body["order"]!["number"]} released: a {who.Garment} for {who.Name}, size {mtm["size"]!["designation"]}, {mtm["pieces"]} pieces, "
            + $"marker {(double)mtm["markerLengthMm"]!:0} mm at {(double)mtm["efficiency"]!:P1}, due {due.ToLocalTime():HH:mm}; {open + 1} open"));
        return body;
    }

    /// <summary>Whether the shop has the made-to-measure product (seeded with a tailoring cell) and the platform still drafts.</summary>
    private async Task<bool> TailoringAsync(CancellationToken cancellationToken)
    {
        if (_tailoring is null)
        {
            var items = await GetAsync($"/api/v1/inventory-items?sku={Uri.EscapeDataString(DemoCatalog.MadeToMeasure.Sku)}&limit=500", cancellationToken);
            _tailoring = items["items"]!.AsArray().Any(i => i!["sku"]!.GetValue<string>() == DemoCatalog.MadeToMeasure.Sku);
        }

        return _tailoring.Value;
    }

    /// <summary>The stored profile of a tailored customer (found by name, else created from the measurements); null when refused.</summary>
    private async Task<long?> ProfileAsync(DemoTailoredCustomer who, CancellationToken cancellationToken)
    {
        if (_profiles is null)
        {
            var stored = await GetAsync("/api/v1/c2m/customers?limit=500", cancellationToken);
            _profiles = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var c in stored["items"]!.AsArray())
            {
                _profiles.TryAdd(c!["name"]!.GetValue<string>(), c["id"]!.GetValue<long>());
            }
        }

        if (_profiles.TryGetValue(who.Name, out var id))
        {
            return id;
        }

        using var response = await api.PostAsJsonAsync("/api/v1/c2m/customers", new { name = who.Name, sex = who.Sex, measurements = who.Measurements }, cancellationToken);
        var body = await RefusedAsync(response, $"the customer {who.Name}", cancellationToken);
        return body is null ? null : _profiles[who.Name] = body["id"]!.GetValue<long>();
    }

    /// <summary>The answer's JSON, or null when refused (reported; a 503, no body model, ends the made-to-measure orders).</summary>
    private async Task<JsonNode?> RefusedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && body?["title"]?.ToString() == "Body model unavailable")
        {
            _tailoring = false;
        }

        await SayAsync($"{what} refused ({(int)response.StatusCode}): {body?["detail"] ?? body?["errors"]}{(_tailoring == false ? "; no more made-to-measure orders" : "")}");
        return null;
    }

    /// <summary>Receives a lot of each material the order needs when what is left after it would fall below a quarter lot.</summary>
    private async Task ReplenishAsync(DemoProduct product, int quantity, long site, CancellationToken cancellationToken)
    {
        var stock = (await GetAsync($"/api/v1/inventory/stock?siteId={site}", cancellationToken)).AsArray()
            .ToDictionary(s => s!["sku"]!.GetValue<string>(), s => s!["quantity"]!.GetValue<double>(), StringComparer.Ordinal);
        foreach (var step in product.Steps.Where(s => s.Material is not null))
        {
            var material = DemoCatalog.Materials.Single(m => m.Sku == step.Material);
            if (stock.GetValueOrDefault(material.Sku) - (step.PerUnit * quantity) < material.Lot / 4)
            {
                using var response = await api.PostAsJsonAsync("/api/v1/inventory/movements", new
                {
                    itemId = await ItemAsync(material.Sku, cancellationToken), siteId = site, kind = "receipt", quantity = material.Lot, note = "demo: supplier delivery",
                }, cancellationToken);
                response.EnsureSuccessStatusCode();
                stock[material.Sku] = stock.GetValueOrDefault(material.Sku) + material.Lot;
                await SayAsync(string.Create(CultureInfo.InvariantCulture, $"received {material.Lot} {material.Unit} of {material.Sku} ({material.Name})"));
            }
        }
    }

    private async Task<int> CountOpenAsync(CancellationToken cancellationToken)
    {
        // Counted by id: an order the planner starts between the two queries is in both answers.
        var open = new HashSet<long>();
        foreach (var status in new[] { "released", "in_progress" })
        {
            open.UnionWith((await GetAsync($"/api/v1/orders?status={status}&limit=500", cancellationToken))["items"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()));
        }

        return open.Count;
    }

    private async Task<long> SiteAsync(CancellationToken cancellationToken)
    {
        if (_site == 0)
        {
            var sites = await GetAsync($"/api/v1/sites?name={Uri.EscapeDataString(FleetPlan.FactorySite)}&limit=500", cancellationToken);
            _site = sites["items"]!.AsArray().FirstOrDefault(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)?["id"]!.GetValue<long>()
                ?? throw new InvalidOperationException($"the site '{FleetPlan.FactorySite}' does not exist");
        }

        return _site;
    }

    private async Task<long> ItemAsync(string sku, CancellationToken cancellationToken)
    {
        if (!_items.TryGetValue(sku, out var id))
        {
            // The filter matches substrings, hence the exact comparison.
            var items = await GetAsync($"/api/v1/inventory-items?sku={Uri.EscapeDataString(sku)}&limit=500", cancellationToken);
            id = _items[sku] = items["items"]!.AsArray().FirstOrDefault(i => i!["sku"]!.GetValue<string>() == sku)?["id"]!.GetValue<long>()
                ?? throw new InvalidOperationException($"the item '{sku}' does not exist");
        }

        return id;
    }

    private async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))
            ?? throw new InvalidOperationException($"GET {path} answered without JSON");
    }

    private Task SayAsync(string line) => output.WriteLineAsync((clearLine ? "\r\u001b[K" : "") + "demo: " + line);
}
