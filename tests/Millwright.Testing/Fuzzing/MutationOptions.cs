namespace Millwright.Fuzzing;

/// <summary>What a target tells the <see cref="MutationEngine"/> about its format, so mutations hit its decisions.</summary>
internal sealed record MutationOptions
{
    /// <summary>Offsets and widths (1 or 2 bytes, big-endian) of length and count fields worth lying about.</summary>
    public IReadOnlyList<(int Offset, int Width)> Fields { get; init; } = [];

    /// <summary>Bytes that sit on the format's decision boundaries (type codes, wildcards, UTF-8 lead bytes).</summary>
    public IReadOnlyList<byte> InterestingBytes { get; init; } = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0xFE, 0xFF];

    /// <summary>Cases longer than this are cut; keeps every case cheap.</summary>
    public int MaxLength { get; init; } = 64 * 1024;

    /// <summary>Format-aware mutations (e.g. rewriting MQTT's remaining length), drawn as often as each generic one.</summary>
    public IReadOnlyList<Func<Random, byte[], byte[]>> Structural { get; init; } = [];
}
