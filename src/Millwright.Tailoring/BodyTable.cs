namespace Millwright.Tailoring;

/// <summary>
/// Bodies stored by column: one ushort array per measurement (mm, weightkg in tenths of a kg, age in years; the
/// data set's own integer units, so rounding loses nothing a tape measure gives) and a sex byte per body.
/// 2 million bodies of 94 columns take 378 MB.
/// </summary>
public sealed class BodyTable
{
    public BodyTable(IReadOnlyList<string> names, ushort[][] columns, byte[] sexes)
    {
        if (columns.Length != names.Count || columns.Any(c => c.Length != sexes.Length))
        {
            throw new ArgumentException("every column must hold one value per body", nameof(columns));
        }

        Names = names;
        Columns = columns;
        Sexes = sexes;
    }

    public IReadOnlyList<string> Names { get; }

    public ushort[][] Columns { get; }

    /// <summary>Per body, (byte)<see cref="Sex"/>.</summary>
    public byte[] Sexes { get; }

    public int Count => Sexes.Length;

    /// <summary>Bytes a table of this shape holds in memory.</summary>
    public static long BytesFor(long count, int columns) => count * (columns * sizeof(ushort) + 1);

    public int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public ushort[] Column(string name) => IndexOf(name) is var i and >= 0 ? Columns[i] : throw new ArgumentException($"no column '{name}'", nameof(name));
}
