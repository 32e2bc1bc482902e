namespace Millwright.Mqtt.Server;

/// <summary>A reader that left its read loop while its socket is parked in the <see cref="ReadinessLoop"/>.</summary>
internal interface IParkedReader
{
    /// <summary>On the thread pool, once: the socket is readable, or the wait was cancelled; the reader reads on.</summary>
    void Resume();
}
