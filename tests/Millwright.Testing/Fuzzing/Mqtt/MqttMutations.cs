namespace Millwright.Fuzzing;

/// <summary>Mutations that know MQTT's framing, added to the generic ones of <see cref="MutationEngine"/>.</summary>
internal static class MqttMutations
{
    /// <summary>Replaces the first packet's remaining length with a nearby, huge, or non-minimal encoding.</summary>
    public static byte[] RewriteRemainingLength(Random random, byte[] data)
    {
        if (data.Length < 2)
        {
            return data;
        }

        var old = 1;
        while (old < 4 && 1 + old < data.Length && (data[old] & 0x80) != 0)
        {
            old++;
        }

        byte[] encoded;
        switch (random.Next(4))
        {
            case 0:
                encoded = [0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
                break;
            case 1:
                // Non-minimal (MQTT-1.5.5-1 forbids it): a value padded with a continuation byte and a zero.
                encoded = [(byte)(0x80 | random.Next(128)), 0];
                break;
            default:
                var value = random.Next(2) == 0 ? Math.Max(0, data.Length - 2 + random.Next(-3, 4)) : random.Next(268_435_456);
                var bytes = new List<byte>(4);
                do
                {
                    var b = (byte)(value & 0x7F);
                    value >>= 7;
                    bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
                }
                while (value != 0);
                encoded = [.. bytes];
                break;
        }

        return [data[0], .. encoded, .. data.AsSpan(1 + old)];
    }
}
