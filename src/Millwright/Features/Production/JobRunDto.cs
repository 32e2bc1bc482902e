namespace Millwright.Features.Production;

/// <summary>A run of a job on a machine that ended without finishing it: the actual work a Gantt chart keeps showing.</summary>
internal sealed record JobRunDto(
    long JobId,
    long OrderId,
    string Order,
    string Operation,
    long MachineId,
    string? Machine,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    long Good,
    long Scrap,
    string Reason);
