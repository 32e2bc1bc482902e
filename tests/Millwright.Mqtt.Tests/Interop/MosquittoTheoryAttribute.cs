namespace Millwright.Mqtt.Tests.Interop;

/// <summary>A theory that needs Debian's mosquitto broker as the real peer; skipped, saying so, without it.</summary>
public sealed class MosquittoTheoryAttribute : TheoryAttribute
{
    public MosquittoTheoryAttribute()
    {
        if (!File.Exists(MosquittoBroker.Executable))
        {
            Skip = $"{MosquittoBroker.Executable} is missing: apt-get install -y mosquitto";
        }
    }
}
