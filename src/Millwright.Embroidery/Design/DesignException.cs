namespace Millwright.Embroidery.Design;

/// <summary>A design that cannot be stitched, and the plain sentence a customer is shown.</summary>
public sealed class DesignException : Exception
{
    public DesignException(DesignProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public DesignException()
        : this(DesignProblem.Malformed, "invalid design")
    {
    }

    public DesignException(string message)
        : this(DesignProblem.Malformed, message)
    {
    }

    public DesignException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = DesignProblem.Malformed;
    }

    public DesignProblem Problem { get; }
}
