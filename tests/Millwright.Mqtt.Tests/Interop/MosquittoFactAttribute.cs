namespace Millwright.Mqtt.Tests.Interop;

/// <summary>A fact that needs Debian's mosquitto broker as the real peer; skipped, saying so, without it.</summary>
public sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        if (!File.Exists(MosquittoBroker.Executable))
        {
            Skip = $"{MosquittoBroker.Executable} is missing: apt-get install -y mosquitto";
        }
    }
}
