using System.Text.Json;

namespace Millwright.Features.Fleet;

internal sealed record LicenceInput(string? Category, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo);

internal sealed record AbsenceInput(DateTimeOffset? From, DateTimeOffset? To, string? Reason);

/// <summary>An operator: the machine types they are licensed for (each with its validity) and when they are away (leave, other bookings).</summary>
internal sealed record OperatorInput(string? Name, IReadOnlyList<LicenceInput?>? Licences, IReadOnlyList<AbsenceInput?>? Unavailable);

internal sealed record LicenceDto(string Category, DateTimeOffset ValidFrom, DateTimeOffset ValidTo);

internal sealed record AbsenceDto(DateTimeOffset From, DateTimeOffset To, string? Reason);

internal sealed record OperatorDto(long Id, string Name, IReadOnlyList<LicenceDto> Licences, IReadOnlyList<AbsenceDto> Unavailable, DateTimeOffset UpdatedAt)
{
    public FleetOperator ToModel() => new(Id, Name,
        Licences.Select(l => new OperatorLicence(l.Category, l.ValidFrom.ToUnixTimeMilliseconds(), l.ValidTo.ToUnixTimeMilliseconds())).ToList(),
        Unavailable.Select(a => new TimeWindow(a.From.ToUnixTimeMilliseconds(), a.To.ToUnixTimeMilliseconds())).ToList());
}

internal sealed class OperatorRow
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Licences { get; set; } = "[]";
    public string Unavailable { get; set; } = "[]";
    public long UpdatedAt { get; set; }

    public OperatorDto AsDto() => new(Id, Name, JsonSerializer.Deserialize<List<LicenceDto>>(Licences, Json) ?? [],
        JsonSerializer.Deserialize<List<AbsenceDto>>(Unavailable, Json) ?? [], DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
