namespace Millwright.Simulator.Jobs;

/// <summary>The job a machine holds, and what it has made of it so far (every unit, and how many were scrap).</summary>
internal sealed class HeldJob(JobCommand command)
{
    public long JobId => command.JobId;

    public string Program => command.Program;

    public int Quantity => command.Quantity;

    public TimeSpan Setup => command.Setup;

    public TimeSpan Unit => command.Unit;

    /// <summary>The design's stitches for an embroidery job that named one; null otherwise.</summary>
    public Millwright.Embroidery.Stitches.StitchPattern? Stitches => command.Stitches;

    public NeedleSchedule? Needles => command.Needles;

    /// <summary>The made-to-measure garment of the job, when its command named one.</summary>
    public GarmentReference? Garment => command.Garment;

    /// <summary>The marker a cutter cuts for the job, once fetched.</summary>
    public CutPlan? Cut => command.Cut;

    public long Made { get; private set; }

    public long Scrapped { get; private set; }

    public long Good => Made - Scrapped;

    public bool Done => Good >= Quantity;

    public void Count(bool scrap)
    {
        Made++;
        if (scrap)
        {
            Scrapped++;
        }
    }
}
