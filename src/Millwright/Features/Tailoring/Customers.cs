using System.Text.Json;
using Millwright.Api;

namespace Millwright.Features.Tailoring;

/// <summary>
/// A tenant's customers: each created from a name, a sex and a few measurements, checked for plausibility and
/// completed by inference before it is stored, so every stored profile can be drafted from.
/// </summary>
internal static class Customers
{
    /// <summary>Checks and completes outside any transaction (inference is CPU work), then stores.</summary>
    public static BodyModels.Completed Prepare(CustomerInput input, BodyModels models, out string name)
    {
        var v = new Validator();
        name = v.Name("name", input.Name);
        var sex = BodyModels.ParseSex(input.Sex);
        if (sex is null)
        {
            v.Add("sex", "is required: male or female");
        }

        v.ThrowIfInvalid();
        return models.Complete(sex!.Value, input.Measurements);
    }

    public static async Task<CustomerDto> CreateAsync(Session s, string name, BodyModels.Completed body)
    {
        await Quota.EnsureRoomAsync(s, s.Tenant, "c2m-customers", s.Quotas.C2mCustomers, TailoringStore.CustomerCount);
        var id = await TailoringStore.InsertCustomerAsync(s, Row(name, body));
        await s.AuditAsync("create", "c2m-customer", id, $"customer '{name}': {body.Given.Count} measurements given, {body.Warnings.Count} warnings");
        return (await TailoringStore.CustomerAsync(s, id))!.AsDto();
    }

    /// <summary>Replaces the profile (name, sex, measurements: checked and completed again); orders already placed keep the body they were drafted from.</summary>
    public static async Task<CustomerDto> UpdateAsync(Session s, long id, string name, BodyModels.Completed body)
    {
        if (!await TailoringStore.UpdateCustomerAsync(s, id, Row(name, body)))
        {
            throw ApiProblem.NotFound("customer", id);
        }

        await s.AuditAsync("update", "c2m-customer", id, $"customer '{name}': {body.Given.Count} measurements given, {body.Warnings.Count} warnings");
        return (await TailoringStore.CustomerAsync(s, id))!.AsDto();
    }

    public static async Task DeleteAsync(Session s, long id)
    {
        var row = await RowAsync(s, id);
        await TailoringStore.DeleteCustomerAsync(s, id);
        await s.AuditAsync("delete", "c2m-customer", id, $"customer '{row.Name}' deleted; their orders keep the measurements they were drafted from");
    }

    public static async Task<CustomerRow> RowAsync(Session s, long id) =>
        await TailoringStore.CustomerAsync(s, id) ?? throw ApiProblem.NotFound("customer", id);

    private static CustomerRow Row(string name, BodyModels.Completed body) => new()
    {
        Name = name,
        Sex = BodyModels.Name(body.Sex),
        Given = JsonSerializer.Serialize(body.Given),
        Completed = JsonSerializer.Serialize(body.All),
        Warnings = body.Warnings.Count == 0 ? null : JsonSerializer.Serialize(body.Warnings),
    };

    public static async Task<Page<CustomerDto>> ListAsync(Session s, PageRequest page)
    {
        var rows = await TailoringStore.CustomersAsync(s, page.After, page.Limit);
        return page.ToPage(rows, r => r.Id, r => r.AsDto());
    }
}
