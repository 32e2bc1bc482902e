namespace Millwright.Simulator.Jobs;

/// <summary>A job's stitch file could not be had: the machine rejects the job with this reason.</summary>
internal sealed class DesignFetchException : Exception
{
    public DesignFetchException()
    {
    }

    public DesignFetchException(string message)
        : base(message)
    {
    }

    public DesignFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
