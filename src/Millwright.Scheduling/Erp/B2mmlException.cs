namespace Millwright.Scheduling.Erp;

/// <summary>
/// The one exception the B2MML readers throw: what is wrong with a document and where. The place's path is the
/// element's path (<c>/ProductionSchedule/ProductionRequest[2]/EndTime</c>; an index only where siblings share
/// the name), its line and column its 1-based position in the text.
/// </summary>
public sealed class B2mmlException : Exception
{
    public B2mmlException(ErpPlace place, string problem)
        : base($"{place.Path} (line {place.Line}, column {place.Column}): {problem}")
    {
        Place = place;
        Problem = problem;
    }

    public B2mmlException()
    {
    }

    public B2mmlException(string message)
        : base(message)
    {
    }

    public B2mmlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ErpPlace Place { get; } = new(1, 1, "/");

    public string Problem { get; } = "";
}
