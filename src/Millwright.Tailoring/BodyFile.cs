using System.Runtime.InteropServices;
using System.Text;

namespace Millwright.Tailoring;

/// <summary>
/// The population's columnar file: magic "MWBODY01", column count (int32), body count (int64), the column names
/// (length-prefixed UTF-8), the sex bytes, then each column's ushort values little-endian, one block per column, so
/// that loading is a handful of large reads straight into the arrays. Written to a temporary file beside the target
/// and renamed over it only when complete: a failed or cancelled write leaves the previous file (or none).
/// </summary>
public static class BodyFile
{
    public const string FileName = "bodies.mwb";

    private static readonly byte[] Magic = "MWBODY01"u8.ToArray();

    /// <summary>Where the platform-wide population lives under a data directory (not per tenant).</summary>
    public static string PathUnder(string dataDirectory) => Path.Combine(dataDirectory, "c2m", FileName);

    public static void Write(BodyTable table, string path, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                stream.Write(Header(table));
                stream.Write(table.Sexes);
                foreach (var column in table.Columns)
                {
                    ct.ThrowIfCancellationRequested();
                    stream.Write(AsBytes(column));
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static BodyTable Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return Read(path, stream, reader);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated or damaged");
        }
    }

    private static BodyTable Read(string path, FileStream stream, BinaryReader reader)
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not a Millwright body file");
        }

        var columns = reader.ReadInt32();
        var count = reader.ReadInt64();
        if (columns is < 1 or > 1000 || count is < 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"{path} is truncated or damaged");
        }

        var names = new string[columns];
        for (var j = 0; j < columns; j++)
        {
            names[j] = reader.ReadString();
        }

        if (stream.Length != stream.Position + BodyTable.BytesFor(count, columns))
        {
            throw new InvalidDataException($"{path} is truncated or damaged");
        }

        var sexes = new byte[count];
        stream.ReadExactly(sexes);
        var data = new ushort[columns][];
        for (var j = 0; j < columns; j++)
        {
            data[j] = new ushort[count];
            stream.ReadExactly(AsBytes(data[j]));
        }

        return new BodyTable(names, data, sexes);
    }

    private static byte[] Header(BodyTable table)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(table.Names.Count);
            writer.Write((long)table.Count);
            foreach (var name in table.Names)
            {
                writer.Write(name);
            }
        }

        return buffer.ToArray();
    }

    // The file is little-endian; so is every platform .NET runs this on (checked once rather than swapped per value).
    private static Span<byte> AsBytes(ushort[] column) => BitConverter.IsLittleEndian
        ? MemoryMarshal.AsBytes(column.AsSpan())
        : throw new PlatformNotSupportedException("big-endian platforms are not supported");

}
