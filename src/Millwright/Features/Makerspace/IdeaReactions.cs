using Millwright.Api;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Votes and following: one per key and idea, idempotent both ways; the idea keeps the counts for ranking. Not
/// audited: they are reactions, not changes to anyone's data, and would drown the audit log.
/// </summary>
internal static class IdeaReactions
{
    public static Task<IdeaDto> VoteAsync(Session s, long id, bool on) => SetAsync(s, id, on, "idea_votes", "votes");

    public static Task<IdeaDto> FollowAsync(Session s, long id, bool on) => SetAsync(s, id, on, "idea_followers", "followers");

    private static async Task<IdeaDto> SetAsync(Session s, long id, bool on, string table, string counter)
    {
        await Makerspace.EnsureMayContributeAsync(s);
        var idea = await Ideas.VisibleRowAsync(s, id);
        var held = await s.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE tenant_id = @Tenant AND idea_id = @id AND key_id = @KeyId", new { s.Tenant, id, s.Caller.KeyId }) > 0;
        if (held != on)
        {
            if (on)
            {
                if (table == "idea_votes" && idea.Status is IdeaStatus.Accepted or IdeaStatus.Declined)
                {
                    throw ApiProblem.Conflict($"Idea {id} is {idea.Status}; votes are closed.");
                }

                // Two requests of one key at once: the second meets the primary key and is told to read again.
                await s.GuardAsync(
                    () => s.ExecuteAsync($"INSERT INTO {table} (tenant_id, idea_id, key_id, created_at) VALUES (@Tenant, @id, @KeyId, @Now)", new { s.Tenant, id, s.Caller.KeyId, s.Now }),
                    $"This key's {counter[..^1]} on idea {id} was recorded by a concurrent request; read the idea again.");
            }
            else
            {
                await s.ExecuteAsync($"DELETE FROM {table} WHERE tenant_id = @Tenant AND idea_id = @id AND key_id = @KeyId", new { s.Tenant, id, s.Caller.KeyId });
            }

            await s.ExecuteAsync($"UPDATE ideas SET {counter} = {counter} + @delta WHERE tenant_id = @Tenant AND id = @id", new { s.Tenant, id, delta = on ? 1L : -1L });
        }

        return await Ideas.GetAsync(s, id);
    }

    /// <summary>The ideas the caller follows, most recently changed first.</summary>
    public static async Task<IReadOnlyList<IdeaDto>> FollowingAsync(Session s)
    {
        await Makerspace.EnterAsync(s);
        var rows = await s.QueryAsync<IdeaRow>(
            $"""
            SELECT {IdeaRow.Columns} FROM ideas
            WHERE tenant_id = @Tenant AND hidden_reason IS NULL
              AND id IN (SELECT idea_id FROM idea_followers WHERE tenant_id = @Tenant AND key_id = @KeyId)
            ORDER BY updated_at DESC, id DESC LIMIT 200
            """,
            new { s.Tenant, s.Caller.KeyId });
        return await Ideas.DtosAsync(s, rows);
    }
}
