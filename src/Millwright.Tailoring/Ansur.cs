using System.Globalization;

namespace Millwright.Tailoring;

/// <summary>
/// Reads the ANSUR II public CSV files: the measurement columns are every column between the id (first) and
/// Gender; Age is kept for the civilian adjustment; the other demographic columns are not used.
/// </summary>
public static class Ansur
{
    public const string MaleFile = "ANSUR_II_MALE_Public.csv";
    public const string FemaleFile = "ANSUR_II_FEMALE_Public.csv";

    /// <summary>The measurements a garment needs; inference must produce at least these.</summary>
    public static IReadOnlyList<string> TailoringMeasurements { get; } =
    [
        "neckcircumference", "shouldercircumference", "biacromialbreadth", "sleeveoutseam", "buttockcircumference",
        "thighcircumference", "crotchheight", "bicepscircumferenceflexed", "wristcircumference", "waistheightomphalion",
        "chestcircumference", "waistcircumference", "stature",
    ];

    /// <summary>The four measurements a customer most often knows (the k-NN benchmark's and inference's inputs).</summary>
    public static IReadOnlyList<string> KeyMeasurements { get; } = ["stature", "weightkg", "chestcircumference", "waistcircumference"];

    /// <summary>The environment variable naming the data set's directory.</summary>
    public const string DirectoryVariable = "MILLWRIGHT_ANSUR";

    /// <summary>
    /// The data set's directory: $MILLWRIGHT_ANSUR, else the first shared/data/anthropometry or data/anthropometry
    /// found walking up from the working directory or the program's own (the shared checkout layout); null if none.
    /// </summary>
    public static string? FindDirectory()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "data", "anthropometry"), Path.Combine(dir.FullName, "data", "anthropometry") })
                {
                    if (File.Exists(Path.Combine(candidate, MaleFile)))
                    {
                        return candidate;
                    }
                }
            }
        }

        return null;
    }

    public static BodySample Load(string directory, Sex sex) =>
        Parse(File.ReadAllBytes(Path.Combine(directory, sex == Sex.Male ? MaleFile : FemaleFile)), sex);

    public static BodySample Parse(ReadOnlySpan<byte> bytes, Sex sex)
    {
        var table = CsvTable.Parse(bytes);
        var gender = IndexOf(table.Header, "Gender");
        var age = IndexOf(table.Header, "Age");
        if (gender < 2 || age < 0)
        {
            throw new CsvFormatException(1, 1, "not an ANSUR II file: no Gender or Age column after the measurements");
        }

        var names = table.Header.Skip(1).Take(gender - 1).Select(n => n.ToLowerInvariant()).ToArray();
        var rows = new double[table.Rows.Count][];
        var ids = new int[table.Rows.Count];
        var ages = new double[table.Rows.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            var fields = table.Rows[r];
            ids[r] = (int)Number(fields, 0, table.Lines[r]);
            ages[r] = Number(fields, age, table.Lines[r]);
            var row = new double[names.Length];
            for (var j = 0; j < names.Length; j++)
            {
                row[j] = Number(fields, j + 1, table.Lines[r]);
            }

            rows[r] = row;
        }

        return new BodySample(sex, names, rows, ids, ages);
    }

    private static double Number(string[] fields, int index, int line) =>
        double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CsvFormatException(line, index + 1, $"'{fields[index]}' is not a number");

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
