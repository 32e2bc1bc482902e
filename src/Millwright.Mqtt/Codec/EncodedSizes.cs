namespace Millwright.Mqtt.Codec;

/// <summary>Sizes from the encoder's measuring pass, so the writing pass does not measure again.</summary>
internal struct EncodedSizes
{
    public int Remaining;
    public int Properties;
    public int WillProperties;
    public bool WithReason;
}
