using System.Text.Json;

namespace Millwright.Features.Production;

/// <summary>A job as the store reads it (<see cref="ProductionStore"/>).</summary>
internal sealed class JobRow
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long Id { get; set; }
    public long OrderId { get; set; }
    public string OrderNumber { get; set; } = "";
    public int Seq { get; set; }
    public string Operation { get; set; } = "";
    public string Capability { get; set; } = "";
    public string Program { get; set; } = "";
    public long SetupMs { get; set; }
    public long UnitMs { get; set; }
    public long Quantity { get; set; }
    public string? Machines { get; set; }
    public string? Materials { get; set; }
    public string Status { get; set; } = "";
    public long? MachineId { get; set; }
    public string? MachineName { get; set; }
    public long? PlannedStart { get; set; }
    public long? PlannedSetupMs { get; set; }
    public long? PlannedEnd { get; set; }
    public long? CommittedEnd { get; set; }
    public long? DispatchedAt { get; set; }
    public long? StartedAt { get; set; }
    public long? EndedAt { get; set; }
    public long Good { get; set; }
    public long Scrap { get; set; }
    public int Commands { get; set; }
    public string? RejectedBy { get; set; }
    public string? UnansweredBy { get; set; }
    public string? Note { get; set; }

    public IReadOnlyList<long>? AllowedMachines => Machines is null ? null : JsonSerializer.Deserialize<List<long>>(Machines, Json);

    public IReadOnlyList<Material> MaterialList => Materials is null ? [] : JsonSerializer.Deserialize<List<Material>>(Materials, Json) ?? [];

    public IReadOnlyList<long> Refusers => Ids(RejectedBy);

    /// <summary>Machines that let its command time out: avoided while another machine can run it.</summary>
    public IReadOnlyList<long> Silent => Ids(UnansweredBy);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    public JobDto AsDto() => new(
        Id, OrderId, OrderNumber, Seq, Operation, Capability, Program, SetupMs / 1000.0, PlannedSetupMs / 1000.0, UnitMs / 1000.0, Quantity, Status,
        MachineId, MachineName, At(PlannedStart), At(PlannedEnd), At(CommittedEnd), At(DispatchedAt), At(StartedAt), At(EndedAt), Good, Scrap, Note);

    private static List<long> Ids(string? json) => json is null ? [] : JsonSerializer.Deserialize<List<long>>(json, Json) ?? [];

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
