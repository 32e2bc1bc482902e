namespace Millwright.Fuzzing;

/// <summary>`sparkplug`: Sparkplug B payloads through the decoder and a host's session state (<see cref="SparkplugFuzzTarget"/>).</summary>
internal sealed class SparkplugFuzzing : IFuzzTarget
{
    public string Name => "sparkplug";

    public string Description => "Sparkplug B payload decoder, STATE parser and host session state";

    public IFuzzWorker CreateWorker(int seed) => new SparkplugFuzzTarget(seed);
}
