namespace Millwright.Fuzzing;

/// <summary>FNV-1a, to compare what two decoding runs saw without keeping their packets.</summary>
internal static class Fnv
{
    public const ulong Offset = 14_695_981_039_346_656_037;
    private const ulong Prime = 1_099_511_628_211;

    public static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var h = Offset;
        foreach (var b in bytes)
        {
            h = (h ^ b) * Prime;
        }

        return h;
    }

    public static ulong Add(ulong h, ulong value) => (h ^ value) * Prime;

    public static ulong Add(ulong h, int value) => Add(h, (ulong)(uint)value);
}
