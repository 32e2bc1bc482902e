using Millwright.Sparkplug;
using Millwright.Testing;

namespace Millwright.Fuzzing;

/// <summary>
/// Runs mutated payloads through the decoder and the decoded messages through a host's session state. The only
/// exception either may throw is <see cref="SparkplugProtocolException"/>; anything else escapes to the caller
/// as a finding.
/// </summary>
internal sealed class SparkplugFuzzTarget : IFuzzWorker
{
    private readonly ManualClock _time = new(SparkplugSamples.Epoch);
    private readonly IReadOnlyList<SparkplugPublication> _seeds;
    private readonly MutationEngine _engine;
    private readonly SparkplugHost _host;

    public SparkplugFuzzTarget(int randomSeed)
    {
        _seeds = SparkplugSamples.Conversation(_time);
        _engine = new MutationEngine([.. _seeds.Select(s => s.Payload)], randomSeed, new MutationOptions
        {
            // Protobuf tags of the Payload and Metric fields, and wire-type boundaries.
            InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x12, 0x1A, 0x22, 0x08],
        });
        _host = new SparkplugHost(_time, TimeSpan.FromSeconds(1));
    }

    public long Cases { get; private set; }

    public long Decoded { get; private set; }

    public long Rejected { get; private set; }

    public SparkplugTopic CurrentTopic { get; private set; } = SparkplugTopic.ForHostState("none");

    public byte[] CurrentInput { get; private set; } = [];

    public FuzzCase Current => new(CurrentInput, CurrentTopic.ToString());

    public void RunOne()
    {
        var random = _engine.Random;
        // Now and then replay the valid conversation, so sessions are born and mutated data meets real state.
        if (random.Next(64) == 0)
        {
            foreach (var seed in _seeds)
            {
                Execute(seed.Topic, seed.Payload);
            }
        }

        var (seedIndex, input) = _engine.Next();
        // Mostly the seed's own topic; sometimes another one, so payloads meet the wrong message type.
        var topic = random.Next(8) == 0 ? _seeds[random.Next(_seeds.Count)].Topic : _seeds[seedIndex].Topic;
        CurrentTopic = topic;
        CurrentInput = input;
        _time.Advance(TimeSpan.FromMilliseconds(random.Next(500)));
        Cases++;
        if (Execute(topic, input))
        {
            Decoded++;
        }
        else
        {
            Rejected++;
        }
    }

    /// <summary>True when the input decoded (whatever the session made of it), false when it was refused.</summary>
    public bool Execute(SparkplugTopic topic, byte[] input)
    {
        try
        {
            if (topic.MessageType == SparkplugMessageType.State)
            {
                SparkplugHostState.Parse(input);
                return true;
            }

            var message = SparkplugDecoder.Decode(topic, input);
            _host.Handle(message);
            return true;
        }
        catch (SparkplugProtocolException)
        {
            return false;
        }
    }

    public void Replay(FuzzCase saved) => Execute(SparkplugTopic.Parse(saved.Context), saved.Input);

    public string Summary() => $"cases {Cases}, decoded {Decoded}, refused {Rejected}";
}
