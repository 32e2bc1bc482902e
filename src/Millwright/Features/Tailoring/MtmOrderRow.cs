using System.Text.Json;

namespace Millwright.Features.Tailoring;

/// <summary>A made-to-measure garment of a production order, as <see cref="TailoringStore"/> reads it.</summary>
internal sealed class MtmOrderRow
{
    public long OrderId { get; set; }
    public long? CustomerId { get; set; }
    public string Garment { get; set; } = "";
    public string Fabric { get; set; } = "";
    public double FabricWidthMm { get; set; }
    public string Sex { get; set; } = "";
    public string Size { get; set; } = "";
    public string Alterations { get; set; } = "{}";
    public string Body { get; set; } = "{}";
    public string DxfSha256 { get; set; } = "";
    public string MarkerSha256 { get; set; } = "";
    public string SvgSha256 { get; set; } = "";
    public string MarkerSvgSha256 { get; set; } = "";
    public double MarkerLengthMm { get; set; }
    public double Efficiency { get; set; }
    public long Pieces { get; set; }
    public double CutLengthMm { get; set; }
    public double SeamLengthMm { get; set; }
    public long CreatedAt { get; set; }

    public string Chart => BodyModels.ParseSex(Sex) == Millwright.Tailoring.Sex.Male ? Millwright.Tailoring.Sizing.SizeCharts.Menswear.Name : Millwright.Tailoring.Sizing.SizeCharts.Womenswear.Name;

    public MadeToMeasureDto AsDto()
    {
        var order = $"{TailoringApi.Orders}/{OrderId}";
        return new MadeToMeasureDto(
            OrderId, CustomerId, Garment, Fabric, FabricWidthMm, Sex,
            new SizeDto(Chart, Size, JsonSerializer.Deserialize<Dictionary<string, double>>(Alterations) ?? []),
            JsonSerializer.Deserialize<Dictionary<string, double>>(Body) ?? [],
            MarkerLengthMm, Efficiency, (int)Pieces, CutLengthMm, SeamLengthMm,
            new MtmLinks($"{order}/pattern.svg", $"{order}/marker.svg", $"{order}/pattern.dxf", $"{order}/marker.json", PatternFiles.PathOf(DxfSha256), PatternFiles.PathOf(MarkerSha256)),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }
}
