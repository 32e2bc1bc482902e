using Millwright.Api;
using Millwright.Embroidery.Dst;
using Millwright.Embroidery.Preview;
using Millwright.Embroidery.Stitches;

namespace Millwright.Features.Embroidery;

/// <summary>Stored designs: created from a prepared upload (quota checked in the same transaction), read, previewed.</summary>
internal static class Designs
{
    public static async Task<DesignDto> CreateAsync(Session s, DesignIntake.Prepared prepared, EmbroideryOptions options)
    {
        await Quota.EnsureRoomAsync(s, s.Tenant, "embroidery-designs", s.Quotas.EmbroideryDesigns, EmbroideryStore.DesignCount);
        await EmbroideryStore.PutFileAsync(s, prepared.Row.SourceSha256, prepared.SourceType, prepared.Source);
        await EmbroideryStore.PutFileAsync(s, prepared.Row.DstSha256, DesignIntake.DstType, prepared.Dst);
        var id = await EmbroideryStore.InsertDesignAsync(s, prepared.Row);
        var row = prepared.Row;
        await s.AuditAsync("create", "embroidery-design", id,
            $"design '{row.Name}': {row.Stitches} stitches, {row.ColourChanges} colour changes, {row.Trims} trims, {row.WidthMm} x {row.HeightMm} mm, dst sha256 {row.DstSha256}");
        return (await EmbroideryStore.DesignAsync(s, id))!.AsDto(options);
    }

    public static async Task<DesignRow> RowAsync(Session s, long id) =>
        await EmbroideryStore.DesignAsync(s, id) ?? throw ApiProblem.NotFound("embroidery design", id);

    public static async Task<Page<DesignDto>> ListAsync(Session s, PageRequest page, EmbroideryOptions options)
    {
        var rows = await EmbroideryStore.DesignsAsync(s, page.After, page.Limit);
        return page.ToPage(rows, r => r.Id, r => r.AsDto(options));
    }

    public static async Task<byte[]> DstAsync(Session s, DesignRow design) =>
        await EmbroideryStore.FileAsync(s, design.DstSha256) ?? throw ApiProblem.NotFound("embroidery design", design.Id);

    /// <summary>The stored stitch file drawn in the design's thread colours (the DST itself holds no colours).</summary>
    public static async Task<(StitchPattern Pattern, PatternStats Stats)> PatternAsync(Session s, DesignRow design, EmbroideryOptions options)
    {
        var file = DstReader.Read(await DstAsync(s, design));
        var threads = design.ThreadList.Select(ThreadColor.Parse).ToList();
        var pattern = threads.Count == file.Pattern.Threads.Count ? new StitchPattern(file.Pattern.Commands, threads) : file.Pattern;
        return (pattern, PatternStats.Of(pattern, options.StitchesPerMinute));
    }
}
