using System.Collections.Concurrent;
using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.Design;

/// <summary>
/// The open design rooms, one per project, loaded from the operation log on first use and kept while the host
/// runs. Stopping the host stops every room's writer after it stored and acknowledged what it had taken, so an
/// acknowledged edit is always in the log. One host serves a project: rooms are not shared across cluster nodes.
/// </summary>
internal sealed class DesignHub(IDatabase database, TimeProvider clock, ILogger<DesignHub> logger) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<(long Tenant, long Project), Lazy<Task<DesignRoom>>> _rooms = new();
    private readonly CancellationTokenSource _stopping = new();

    public IDatabase Database => database;

    public TimeProvider Clock => clock;

    public ILogger Logger => logger;

    /// <summary>The room of <paramref name="project"/>, or a 404 when the tenant has no such project.</summary>
    public async Task<DesignRoom> RoomAsync(long tenant, long project, CancellationToken ct)
    {
        var lazy = _rooms.GetOrAdd((tenant, project), key => new Lazy<Task<DesignRoom>>(() => LoadAsync(key.Tenant, key.Project)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // A failed load (no such project, or the database away) is not kept: the next use tries again.
            _rooms.TryRemove(new KeyValuePair<(long, long), Lazy<Task<DesignRoom>>>((tenant, project), lazy));
            throw;
        }
    }

    /// <summary>Forgets a room so that the next use loads it from the log again (after a project is deleted).</summary>
    public async Task DropAsync(long tenant, long project)
    {
        if (_rooms.TryRemove((tenant, project), out var lazy) && lazy.IsValueCreated)
        {
            var room = await lazy.Value;
            await room.StopAsync();
            room.Dispose();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var rooms = _rooms.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result).ToList();
        var stopped = Task.WhenAll(rooms.Select(r => r.StopAsync()));
        await stopped.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync();
        if (stopped.IsCompleted)
        {
            foreach (var room in rooms)
            {
                room.Dispose();
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task<DesignRoom> LoadAsync(long tenant, long project)
    {
        if (!await DesignStore.ProjectExistsAsync(database, tenant, project, _stopping.Token))
        {
            throw ApiProblem.NotFound("design project", project);
        }

        var (ops, cut) = await DesignStore.LoadAsync(database, tenant, project, _stopping.Token);
        var room = new DesignRoom(this, tenant, project, ops, cut);
        room.Start(_stopping.Token);
        return room;
    }
}
