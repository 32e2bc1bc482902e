using System.Globalization;

namespace Millwright.Tailoring.Tests;

/// <summary>
/// A small DXF reader written apart from the writer, for reading its files back: group-code pairs, the BLOCKS and
/// ENTITIES sections, and the entities the pattern files use (POLYLINE with VERTEX/SEQEND, LINE, TEXT, INSERT).
/// Anything malformed throws.
/// </summary>
internal sealed class DxfReader
{
    public sealed record Entity(string Type, string Layer, IReadOnlyList<(double X, double Y)> Points, bool Closed, string Text, IReadOnlyDictionary<int, string> Codes);

    public sealed record Block(string Name, IReadOnlyList<Entity> Entities);

    public Dictionary<string, Block> Blocks { get; } = new(StringComparer.Ordinal);

    public List<Entity> Entities { get; } = [];

    public Dictionary<string, string> Header { get; } = new(StringComparer.Ordinal);

    public static DxfReader Parse(string text)
    {
        var lines = text.Split('\n');
        var pairs = new List<(int Code, string Value)>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            pairs.Add((int.Parse(lines[i].Trim(), CultureInfo.InvariantCulture), lines[i + 1].TrimEnd('\r')));
        }

        var reader = new DxfReader();
        var p = 0;
        while (p < pairs.Count && pairs[p] != (0, "EOF"))
        {
            Expect(pairs[p++], 0, "SECTION");
            var section = pairs[p++];
            if (section.Code != 2)
            {
                throw new FormatException("section without a name");
            }

            var body = new List<(int Code, string Value)>();
            while (pairs[p] != (0, "ENDSEC"))
            {
                body.Add(pairs[p++]);
            }

            p++;
            switch (section.Value)
            {
                case "HEADER":
                    for (var i = 0; i + 1 < body.Count; i += 2)
                    {
                        reader.Header[body[i].Value] = body[i + 1].Value;
                    }

                    break;
                case "BLOCKS":
                    reader.ReadBlocks(body);
                    break;
                case "ENTITIES":
                    reader.Entities.AddRange(ReadEntities(body));
                    break;
            }
        }

        if (p >= pairs.Count)
        {
            throw new FormatException("no EOF");
        }

        return reader;
    }

    private void ReadBlocks(List<(int Code, string Value)> body)
    {
        var p = 0;
        while (p < body.Count)
        {
            Expect(body[p++], 0, "BLOCK");
            var header = new Dictionary<int, string>();
            while (body[p].Code != 0)
            {
                header[body[p].Code] = body[p++].Value;
            }

            var content = new List<(int Code, string Value)>();
            while (body[p] != (0, "ENDBLK"))
            {
                content.Add(body[p++]);
            }

            p++;
            while (p < body.Count && body[p].Code != 0)
            {
                p++;
            }

            Blocks[header[2]] = new Block(header[2], ReadEntities(content));
        }
    }

    private static List<Entity> ReadEntities(List<(int Code, string Value)> body)
    {
        var entities = new List<Entity>();
        var p = 0;
        while (p < body.Count)
        {
            var type = body[p++].Value;
            var codes = new Dictionary<int, string>();
            var points = new List<(double X, double Y)>();
            while (p < body.Count && body[p].Code != 0)
            {
                codes[body[p].Code] = body[p].Value;
                p++;
            }

            if (type == "POLYLINE")
            {
                while (body[p] == (0, "VERTEX"))
                {
                    p++;
                    var vertex = new Dictionary<int, string>();
                    while (body[p].Code != 0)
                    {
                        vertex[body[p].Code] = body[p].Value;
                        p++;
                    }

                    points.Add((Number(vertex[10]), Number(vertex[20])));
                }

                Expect(body[p++], 0, "SEQEND");
                while (p < body.Count && body[p].Code != 0)
                {
                    p++;
                }
            }
            else if (codes.TryGetValue(10, out var x))
            {
                points.Add((Number(x), Number(codes[20])));
                if (codes.TryGetValue(11, out var x2))
                {
                    points.Add((Number(x2), Number(codes[21])));
                }
            }

            var closed = codes.TryGetValue(70, out var flags) && (int.Parse(flags, CultureInfo.InvariantCulture) & 1) == 1;
            entities.Add(new Entity(type, codes.GetValueOrDefault(8, "0"), points, closed, codes.GetValueOrDefault(1, ""), codes));
        }

        return entities;
    }

    private static void Expect((int Code, string Value) pair, int code, string value)
    {
        if (pair.Code != code || pair.Value != value)
        {
            throw new FormatException($"expected {code} {value}, found {pair.Code} {pair.Value}");
        }
    }

    public static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
