namespace Millwright.Features.Production;

/// <summary>Where a what-if plans one job: a real job by its id, or operation <see cref="Seq"/> of rush order <see cref="Rush"/>.</summary>
internal sealed record WhatIfPlacement(long? JobId, int? Rush, int? Seq, long MachineId, long Start, long End, long SetupMs);
