namespace Millwright.Features.Makerspace;

internal sealed class IdeaRow
{
    public const string Columns =
        "id, tenant_id, title, description, product_family, status, decision_reason, project, author_key_id, author_name, author_external, " +
        "votes, comments, followers, hidden_reason, created_at, updated_at, decided_at";

    public long Id { get; set; }
    public long TenantId { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string? ProductFamily { get; set; }
    public string Status { get; set; } = "";
    public string? DecisionReason { get; set; }
    public string? Project { get; set; }
    public long AuthorKeyId { get; set; }
    public string AuthorName { get; set; } = "";
    public long AuthorExternal { get; set; }
    public long Votes { get; set; }
    public long Comments { get; set; }
    public long Followers { get; set; }
    public string? HiddenReason { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? DecidedAt { get; set; }

    public double Rank(long now) => IdeaRanking.Score(Votes, Comments, Followers, CreatedAt, now);

    public IdeaDto AsDto(IReadOnlyList<string> tags, bool voted, bool following) => new(
        Id, TenantId, Title, Description, tags, ProductFamily, Status, DecisionReason, Project,
        new Author(AuthorKeyId, AuthorName, AuthorExternal == 1), Votes, Comments, Followers, voted, following, HiddenReason,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
        DecidedAt is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null);
}
