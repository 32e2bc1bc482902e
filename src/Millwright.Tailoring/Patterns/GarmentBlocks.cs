namespace Millwright.Tailoring.Patterns;

/// <summary>
/// Which blocks a body can be drafted in: menswear has the jacket and trousers; womenswear the straight skirt and
/// the trousers (the trouser block is drafted from the body's own girths and heights, tested on women's bodies as on
/// men's). The men's jacket has no bust shaping, so it is not offered to a woman, nor the skirt to a man.
/// </summary>
public static class GarmentBlocks
{
    public static readonly IReadOnlyList<string> All = ["jacket", "trousers", "skirt"];

    public static IReadOnlyList<string> For(Sex sex) => sex == Sex.Male ? ["jacket", "trousers"] : ["skirt", "trousers"];

    /// <summary>Drafts <paramref name="garment"/> (one of <see cref="For"/>) for the body; a missing measurement or an undraftable body is an <see cref="ArgumentException"/>.</summary>
    public static Garment Draft(string garment, Sex sex, Measurements body)
    {
        if (!For(sex).Contains(garment))
        {
            throw new ArgumentException($"there is no {(sex == Sex.Male ? "menswear" : "womenswear")} {garment} block: {string.Join(" or ", For(sex))}", nameof(garment));
        }

        return garment switch
        {
            "jacket" => JacketDraft.Draft(body),
            "skirt" => SkirtDraft.Draft(body),
            _ => TrouserDraft.Draft(body),
        };
    }
}
