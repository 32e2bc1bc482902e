using Millwright.Api;
using Millwright.Security;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

/// <summary>
/// On SQLite a session holds the process's turn at the write lock (WriterTurns) from its begin to its commit, not
/// to its end: callers go on working inside the session after committing (the planner sends commands to devices),
/// and no writer of the platform may wait for that.
/// </summary>
public sealed class SessionTurnTests(SqliteHost fixture) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task A_session_gives_its_turn_back_at_its_commit_so_another_begins_while_it_is_still_open()
    {
        var host = fixture.Host;
        using var t = await host.CreateTenantAsync();
        await using var first = await Session.BeginAsync(host.Database, Caller.CommandLine(t.Id), TimeProvider.System);
        await first.ExecuteAsync("UPDATE tenants SET name = name WHERE id = @Tenant", new { first.Tenant });
        await first.CommitAsync();

        var second = Session.BeginAsync(host.Database, Caller.CommandLine(t.Id), TimeProvider.System);
        Assert.Same(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(10))));
        await using var begun = await second;
        await begun.CommitAsync();
    }
}
