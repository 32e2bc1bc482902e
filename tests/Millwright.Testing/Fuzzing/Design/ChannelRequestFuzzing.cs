using Millwright.Design;

namespace Millwright.Fuzzing;

/// <summary>
/// `design-channel`: the design channel's client messages (untrusted JSON from any browser or tool). Every mutated
/// message must parse or be refused with <see cref="ChannelProtocolException"/>; parsed operations then go through
/// the field rules and into a fresh tree, which must not throw either.
/// </summary>
internal sealed class ChannelRequestFuzzing : IFuzzTarget
{
    public string Name => "design-channel";

    public string Description => "client messages of the design workspace's WebSocket channel";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), Check, "parsed");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        """{"type":"hello","replica":"laptop-1","key":"mwk_abc_def"}"""u8.ToArray(),
        """{"type":"ops","ops":[{"counter":7,"kind":"move","node":"n1","parent":"root"},{"counter":8,"kind":"set","node":"n1","field":"quantity","value":"4"}]}"""u8.ToArray(),
        """{"type":"ops","ops":[{"counter":9,"kind":"set","node":"n1","field":"param.length","value":"= width * 2"}]}"""u8.ToArray(),
        """{"type":"ops","ops":[{"counter":10,"kind":"set","node":"n1","field":"doc.model","value":"cad sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 pdm://vault/a.step Frame, rev B"}]}"""u8.ToArray(),
        """{"type":"ops","ops":[{"counter":11,"kind":"set","node":"root","field":"req.weight","value":"At most 20 kg"},{"counter":12,"kind":"set","node":"root","field":"verify.weight","value":"n1.mass <= 20 kg"}]}"""u8.ToArray(),
        """{"type":"presence","node":null}"""u8.ToArray(),
        """{"type":"resync"}"""u8.ToArray(),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed);

    /// <summary>True when parsed (and applied), false when refused the documented way; anything else escapes.</summary>
    public static bool Check(byte[] input)
    {
        ChannelRequest request;
        try
        {
            request = ChannelRequestParser.Parse(input);
        }
        catch (ChannelProtocolException e) when (e.Message.Length > 0)
        {
            return false;
        }

        var tree = new DesignTree();
        foreach (var op in request.Ops ?? [])
        {
            if (op.Kind == DesignOpKind.Set)
            {
                _ = DesignFields.Check(op.Field!, op.Value);
            }

            tree.Apply(op.Stamped("fuzz"));
        }

        return true;
    }
}
