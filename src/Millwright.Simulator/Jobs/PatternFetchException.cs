namespace Millwright.Simulator.Jobs;

/// <summary>A cut job's DXF or marker could not be had or read: the cutter rejects the job with this reason.</summary>
internal sealed class PatternFetchException : Exception
{
    public PatternFetchException()
    {
    }

    public PatternFetchException(string message) : base(message)
    {
    }

    public PatternFetchException(string message, Exception inner) : base(message, inner)
    {
    }
}
