using System.Globalization;

namespace Millwright.Fuzzing;

/// <summary>
/// `mqtt`: the MQTT 3.1.1 and 5.0 decoder, whole and split across segments, with every decoded packet's
/// encode/decode round trip checked (<see cref="MqttFuzzTarget"/>).
/// </summary>
internal sealed class MqttFuzzing : IFuzzTarget
{
    public string Name => "mqtt";

    public string Description => "MQTT 3.1.1/5.0 decoder as server and client, whole and split, with re-encode round trips";

    public IFuzzWorker CreateWorker(int seed) => new Worker(Engine(seed));

    /// <summary>The engine over <see cref="FuzzSeeds"/>, knowing MQTT's boundary bytes and its remaining length.</summary>
    public static MutationEngine Engine(int seed) => new(FuzzSeeds.Build(), seed, new MutationOptions
    {
        // Varint continuation, QoS bits, wildcards, '/', '$', UTF-8 lead bytes of overlong and surrogate
        // forms, property identifiers.
        InterestingBytes =
        [
            0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0B, 0x0F, 0x10, 0x11, 0x23, 0x24, 0x26, 0x27, 0x2A, 0x2B, 0x2F,
            0x7F, 0x80, 0x81, 0xC0, 0xC1, 0xE0, 0xED, 0xF4, 0xF5, 0xFE, 0xFF,
        ],
        MaxLength = 8192,
        Structural = [MqttMutations.RewriteRemainingLength, MqttMutations.RewriteRemainingLength],
    });

    private sealed class Worker(MutationEngine engine) : IFuzzWorker
    {
        private readonly FuzzStats _stats = new();

        public FuzzCase Current { get; private set; } = new([], "0");

        public long Cases => _stats.Cases;

        public void RunOne()
        {
            var input = engine.Next().Input;
            // The variant picks the version, the split point and the decoder's role and size limit.
            var variant = (int)(_stats.Cases & int.MaxValue);
            Current = new FuzzCase(input, variant.ToString(CultureInfo.InvariantCulture));
            MqttFuzzTarget.Run(input, _stats, variant);
        }

        public void Replay(FuzzCase saved)
        {
            // Every variant that matters (three versions, roles), not only the one saved.
            var first = int.TryParse(saved.Context, CultureInfo.InvariantCulture, out var variant) ? variant : 0;
            for (var i = 0; i < 9; i++)
            {
                MqttFuzzTarget.Run(saved.Input, _stats, first + i);
            }
        }

        public string Summary() => _stats.Summary();
    }
}
