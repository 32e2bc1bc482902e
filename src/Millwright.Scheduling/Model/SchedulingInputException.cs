namespace Millwright.Scheduling.Model;

/// <summary>An instance the solver refuses: the message names the job, operation or machine that is wrong.</summary>
public sealed class SchedulingInputException : Exception
{
    public SchedulingInputException(string message)
        : base(message)
    {
    }

    public SchedulingInputException()
    {
    }

    public SchedulingInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
