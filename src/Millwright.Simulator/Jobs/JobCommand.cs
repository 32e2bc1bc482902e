namespace Millwright.Simulator.Jobs;

/// <summary>
/// One parsed command. For <see cref="JobCommandKind.Job"/> every job field is set and within range; for
/// <see cref="JobCommandKind.InvalidJob"/> <see cref="Error"/> says which field is wrong; for
/// <see cref="JobCommandKind.Ignored"/> <see cref="Error"/> says why (for the status line).
/// </summary>
internal sealed record JobCommand(JobCommandKind Kind, string? CommandId, long JobId)
{
    public string Program { get; init; } = "";

    public int Quantity { get; init; }

    public TimeSpan Setup { get; init; }

    public TimeSpan Unit { get; init; }

    public string? Error { get; init; }

    /// <summary>The design an embroidery job sews, when the command names one.</summary>
    public DesignReference? Design { get; init; }

    /// <summary>The design's stitches, once the machine has fetched and read its stitch file.</summary>
    public Millwright.Embroidery.Stitches.StitchPattern? Stitches { get; init; }

    /// <summary>Which needle sews each colour of the design, as the platform mapped it onto this machine.</summary>
    public NeedleSchedule? Needles { get; init; }

    /// <summary>The made-to-measure garment a cutting, sewing or finishing job works on, when the command names one.</summary>
    public GarmentReference? Garment { get; init; }

    /// <summary>The marker a cutter cuts, once it has fetched and read the DXF and marker.</summary>
    public CutPlan? Cut { get; init; }
}
