using System.CommandLine;
using System.Globalization;
using Millwright.Tailoring;
using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Output;
using Millwright.Tailoring.Patterns;
using Millwright.Tailoring.Sizing;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright c2m pattern INPUT.csv --sex male|female --garment jacket|trousers|skirt -o DIR</c>: per body, completes the
/// measurements (as <c>infer</c> does), chooses the base size and alterations, drafts the garment, nests its pieces
/// on the fabric width and writes ID-GARMENT.svg (the pieces), ID-GARMENT-marker.svg and ID-GARMENT.dxf (AAMA-style
/// blocks and the marker) into DIR (docs/made-to-measure.md).
/// </summary>
internal static class C2mPattern
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT") { Description = "CSV: id and any ANSUR II measurement columns (mm; weightkg in tenths of a kg)" };
        var sex = new Option<string>("--sex") { Description = "male (jacket, trousers) or female (skirt, trousers)", Required = true };
        sex.AcceptOnlyFromAmong("male", "female");
        var garment = new Option<string>("--garment") { Description = "jacket or trousers (menswear), skirt or trousers (womenswear)", Required = true };
        garment.AcceptOnlyFromAmong([.. GarmentBlocks.All]);
        var output = new Option<string>("-o") { Description = "Output directory", Required = true };
        var fabric = new Option<double>("--fabric-width") { Description = "Usable fabric width in mm (the marker's width)", DefaultValueFactory = _ => 1500 };
        var evaluations = new Option<int>("--nesting-evaluations")
        {
            Description = "Placement orders the marker search tries beyond greedy bottom-left (0: greedy only)",
            DefaultValueFactory = _ => MarkerSearch.DefaultEvaluations,
        };
        var ansur = C2mCommand.AnsurOption();
        var command = new Command("pattern", "Draft a garment per body: base size and alterations, pattern pieces as SVG and DXF, a nested marker");
        command.Arguments.Add(input);
        command.Options.Add(sex);
        command.Options.Add(garment);
        command.Options.Add(output);
        command.Options.Add(fabric);
        command.Options.Add(evaluations);
        command.Options.Add(ansur);
        command.SetAction(result => Run(result.GetValue(input)!, result.GetValue(sex) == "male" ? Sex.Male : Sex.Female, result.GetValue(garment)!, result.GetValue(output)!, result.GetValue(fabric),
            result.GetValue(evaluations), result.GetValue(ansur)));
        return command;
    }

    private static int Run(string inputPath, Sex sex, string garmentName, string directory, double fabricWidth, int evaluations, string? ansur)
    {
        if (!GarmentBlocks.For(sex).Contains(garmentName))
        {
            Console.Error.WriteLine($"millwright: there is no {(sex == Sex.Male ? "menswear" : "womenswear")} {garmentName} block: --garment {string.Join(" or ", GarmentBlocks.For(sex))}");
            return ExitCodes.InvalidInput;
        }

        if (evaluations is < 0 or > 100_000)
        {
            Console.Error.WriteLine($"millwright: --nesting-evaluations {evaluations} is outside 0-100000");
            return ExitCodes.InvalidInput;
        }

        if (fabricWidth is < 300 or > 5000)
        {
            Console.Error.WriteLine($"millwright: --fabric-width {fabricWidth} mm is outside 300-5000 mm");
            return ExitCodes.InvalidInput;
        }

        if (C2mCommand.CompleteBodies(inputPath, sex, ansur) is not { } bodies)
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"millwright: cannot create {directory}: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        var chart = SizeCharts.For(sex);
        var failed = false;
        var done = 0;
        foreach (var (row, body) in bodies)
        {
            try
            {
                var fit = chart.Fit(body.Values);
                var garment = GarmentBlocks.Draft(garmentName, sex, body);
                var marker = MarkerSearch.Nest(garment.Pieces, fabricWidth, evaluations);
                var alterations = string.Join(", ", fit.Controls.Select((c, i) => $"{c.Name} {fit.Alterations[i].ToString("+0;-0;0", CultureInfo.InvariantCulture)}"));
                var caption = new[]
                {
                    $"{row.Id}: {garment.Name}, {chart.Name} base size {fit.Size.Designation}",
                    $"alterations (mm): {alterations}",
                    $"marker {fabricWidth:0} x {marker.Length:0} mm, efficiency {marker.Efficiency:P1}",
                };
                var stem = Path.Combine(directory, FileStem(row.Id) + "-" + garment.Name);
                Write(stem + ".svg", SvgWriter.Pieces(garment.Pieces, caption));
                Write(stem + "-marker.svg", SvgWriter.MarkerView(marker, caption));
                Write(stem + ".dxf", DxfWriter.Write(marker, $"{garment.Name} {row.Id}", fit.Size.Designation));
                done++;
                Console.Out.WriteLine($"[{done}/{bodies.Count}] {caption[0]}; {alterations}; marker {marker.Length:0} mm, efficiency {marker.Efficiency:P1}: {stem}.dxf");
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"millwright: {inputPath}: line {row.Line} (id {row.Id}): {e.Message}");
                failed = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"millwright: cannot write into {directory}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        }

        return failed ? ExitCodes.InvalidInput : ExitCodes.Ok;
    }

    private static void Write(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Ids come from a customer's file: only letters, digits, '-' and '_' reach a file name.</summary>
    private static string FileStem(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
