using System.Globalization;
using System.Text;
using System.Text.Json;
using Millwright.Api;
using Millwright.Tailoring;
using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Output;
using Millwright.Tailoring.Patterns;
using Millwright.Tailoring.Sizing;

namespace Millwright.Features.Tailoring;

/// <summary>
/// A completed body to the files a garment is made from: the base size and alterations, the drafted pieces, the
/// marker nested on the fabric's width, and four files named by their SHA-256: the DXF (blocks and marker, for the
/// cutter), the marker as JSON (what the cutter cuts in which order), and SVGs of the pieces and the marker (for a
/// person). CPU work: done outside any transaction, at most <see cref="TailoringOptions.ConcurrentDrafts"/> at once.
/// </summary>
internal sealed class PatternDraft(TailoringOptions options) : IDisposable
{
    public const string DxfType = "application/dxf";
    public const string JsonType = "application/json";
    public const string SvgType = "image/svg+xml";

    private readonly SemaphoreSlim _gate = new(options.ConcurrentDrafts, options.ConcurrentDrafts);

    public sealed record File(string Sha256, string MediaType, byte[] Data);

    /// <summary>What an order stores: the size, the marker's figures, the lengths the machines work to, and the files.</summary>
    public sealed record Drafted(
        string Garment, SizeFit Size, string Chart, Marker Marker, double CutLengthMm, double SeamLengthMm, int Pieces, File Dxf, File MarkerJson, File Svg, File MarkerSvg);

    public async Task<Drafted> DraftAsync(BodyModels.Completed body, string garment, string fabric, double fabricWidthMm, CancellationToken ct)
    {
        if (!await _gate.WaitAsync(options.DraftPatience, ct))
        {
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Busy", "Other garments are being drafted; send this order again in a moment.");
        }

        try
        {
            return Draft(body, garment, fabric, fabricWidthMm, options.NestingEvaluations);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static Drafted Draft(BodyModels.Completed body, string garmentName, string fabric, double fabricWidthMm, int nestingEvaluations)
    {
        var chart = SizeCharts.For(body.Sex);
        var fit = chart.Fit(body.All);
        var measurements = new Measurements(body.All);
        Garment garment;
        Marker marker;
        try
        {
            garment = GarmentBlocks.Draft(garmentName, body.Sex, measurements);
            marker = MarkerSearch.Nest(garment.Pieces, fabricWidthMm, nestingEvaluations);
        }
        catch (ArgumentException e)
        {
            throw new ApiProblem(StatusCodes.Status422UnprocessableEntity, "Cannot draft the garment", e.Message)
            {
                Extensions = new Dictionary<string, object?> { ["problem"] = "undraftable" },
            };
        }

        var alterations = string.Join(", ", fit.Controls.Select((c, i) => $"{c.Name} {fit.Alterations[i].ToString("+0;-0;0", CultureInfo.InvariantCulture)}"));
        var caption = new[]
        {
            $"{garment.Name} in {fabric}, {chart.Name} base size {fit.Size.Designation}",
            $"alterations (mm): {alterations}",
            string.Create(CultureInfo.InvariantCulture, $"marker {fabricWidthMm:0} x {marker.Length:0} mm, efficiency {marker.Efficiency:P1}"),
        };

        // The knife follows every cut outline on the marker; a seam joins two net edges, so the sewn length is half
        // the net outlines of every piece cut (hems and facings counted the same way).
        var cut = marker.Placements.Sum(p => p.Piece.Cut.Shell.Length);
        var seams = marker.Placements.Sum(p => p.Piece.Net.Shell.Length) / 2;
        return new Drafted(garment.Name, fit, chart.Name, marker, Math.Round(cut, 1), Math.Round(seams, 1), marker.Placements.Count,
            Named(DxfType, DxfWriter.Write(marker, garment.Name, fit.Size.Designation)),
            Named(JsonType, MarkerJson(garment.Name, fit.Size.Designation, fabric, marker)),
            Named(SvgType, SvgWriter.Pieces(garment.Pieces, caption)),
            Named(SvgType, SvgWriter.MarkerView(marker, caption)));
    }

    /// <summary>The marker for a cutter: the pieces in cutting order with where they lie and how long their cut line is.</summary>
    private static string MarkerJson(string garment, string size, string fabric, Marker marker) => JsonSerializer.Serialize(new
    {
        format = "millwright-marker/1",
        garment,
        size,
        fabric,
        widthMm = Math.Round(marker.Width, 1),
        lengthMm = Math.Round(marker.Length, 1),
        efficiency = Math.Round(marker.Efficiency, 4),
        pieces = marker.Placements.Select(p => new
        {
            piece = p.Piece.Name,
            copy = p.Copy,
            mirrored = p.Mirrored,
            rotationDegrees = p.RotationDegrees,
            xMm = Math.Round(p.X, 2),
            yMm = Math.Round(p.Y, 2),
            cutLengthMm = Math.Round(p.Piece.Cut.Shell.Length, 1),
            areaMm2 = Math.Round(p.Piece.Cut.Area, 0),
        }),
    });

    private static File Named(string mediaType, string text)
    {
        var data = Encoding.UTF8.GetBytes(text);
        return new File(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), mediaType, data);
    }
}
