namespace Millwright.Simulator.Jobs;

/// <summary>A marker or DXF fetched for a cut job that cannot be cut from; the message says why.</summary>
internal sealed class MarkerFormatException : Exception
{
    public MarkerFormatException()
    {
    }

    public MarkerFormatException(string message) : base(message)
    {
    }

    public MarkerFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
