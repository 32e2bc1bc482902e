using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Api;

/// <summary>
/// One request's unit of work: a connection, a transaction, the caller it acts for and the clock.
/// Every change and its audit entry commit together or not at all.
/// </summary>
internal sealed class Session : IAsyncDisposable
{
    private readonly IDatabase _database;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly TimeProvider _clock;
    private readonly bool _ownsConnection;

    // This session's turn at the database's write lock, given back when it ends (null on PostgreSQL).
    private IDisposable? _turn;

    // The request's token (HttpContext.RequestAborted through Sessions): a cancelled request's SQL is cancelled too.
    private readonly CancellationToken _cancellationToken;

    // Shared with sessions made by ActingFor: they write in the same transaction.
    private readonly StrongBox<bool> _changed;
    private readonly List<AccessChange> _accessChanges;

    private Session(IDatabase database, DbConnection connection, DbTransaction transaction, Caller caller, TimeProvider clock, CancellationToken cancellationToken,
        StrongBox<bool>? changed = null, List<AccessChange>? accessChanges = null, bool ownsConnection = true)
    {
        _ownsConnection = ownsConnection;
        _cancellationToken = cancellationToken;
        _changed = changed ?? new StrongBox<bool>();
        _accessChanges = accessChanges ?? [];
        _database = database;
        _connection = connection;
        _transaction = transaction;
        _clock = clock;
        Caller = caller;
    }

    public static async Task<Session> BeginAsync(IDatabase database, Caller caller, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        // Every session writes or may (SQLite's BEGIN IMMEDIATE), so it waits for its turn first.
        var turn = await database.WriterTurnAsync(cancellationToken);
        DbConnection? connection = null;
        try
        {
            connection = await database.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new Session(database, connection, transaction, caller, clock, cancellationToken) { _turn = turn };
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            turn?.Dispose();
            throw;
        }
    }

    public Caller Caller { get; }

    /// <summary>The same transaction acting for another caller, e.g. a tenant created a moment ago in it.</summary>
    public Session ActingFor(Caller caller) =>
        new(_database, _connection, _transaction, caller, _clock, _cancellationToken, _changed, _accessChanges, ownsConnection: false) { Quotas = Quotas };

    /// <summary>The platform's quotas, which creates check in this transaction (<see cref="Quota"/>).</summary>
    public QuotaOptions Quotas { get; set; } = QuotaOptions.Default;

    /// <summary>The caller's tenant: the scope of every query in this session.</summary>
    public long Tenant => Caller.Tenant;

    public long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        (await _connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    public Task<T?> QueryOneAsync<T>(string sql, object? parameters = null) =>
        _connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) =>
        _connection.ExecuteScalarAsync<T>(Command(sql, parameters))!;

    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        _connection.ExecuteAsync(Command(sql, parameters));

    private CommandDefinition Command(string sql, object? parameters) =>
        new(sql, parameters, _transaction, cancellationToken: _cancellationToken);

    /// <summary>Runs a write; a unique violation becomes a 409 naming what collided, a foreign key one a 409 naming what still depends.</summary>
    public async Task<T> GuardAsync<T>(Func<Task<T>> write, string onDuplicate, string onStillReferenced = "it is still referenced")
    {
        try
        {
            return await write();
        }
        catch (DbException e) when (_database.Classify(e) == ConstraintKind.Unique)
        {
            throw ApiProblem.Conflict(onDuplicate);
        }
        catch (DbException e) when (_database.Classify(e) == ConstraintKind.ForeignKey)
        {
            throw ApiProblem.Conflict(onStillReferenced);
        }
    }

    /// <summary>Fails with 400 unless <paramref name="id"/> names a row of this tenant in <paramref name="table"/>.</summary>
    public async Task RequireReferenceAsync(string table, string field, string entity, long id)
    {
        var found = await ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE tenant_id = @Tenant AND id = @id", new { Tenant, id });
        if (found == 0)
        {
            throw ApiProblem.Invalid(field, $"there is no {entity} with id {id}");
        }
    }

    /// <summary>Whether this unit of work changed anything (every change writes an audit entry).</summary>
    public bool Changed => _changed.Value;

    /// <summary>What this unit of work took away from connected clients, raised once it has committed.</summary>
    public IReadOnlyList<AccessChange> AccessChanges => _accessChanges;

    /// <summary>
    /// Records that this unit of work may take access away (revoke, delete, rename). The code that commits
    /// raises it after the commit (<see cref="Sessions"/>), never before: a rollback takes nothing away.
    /// </summary>
    public void AccessChanged(AccessChange change) => _accessChanges.Add(change);

    public Task AuditAsync(string action, string entity, long? entityId, string summary)
    {
        _changed.Value = true;
        return ExecuteAsync(
            "INSERT INTO audit_log (tenant_id, at, actor, action, entity, entity_id, summary) VALUES (@TenantId, @Now, @Actor, @action, @entity, @entityId, @summary)",
            new { Caller.TenantId, Now, Caller.Actor, action, entity, entityId, summary });
    }

    /// <summary>Commits; the turn at the write lock goes back at once, so what the caller does next (a command to a device) holds up no writer.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await _transaction.CommitAsync(cancellationToken);
        if (_ownsConnection)
        {
            _turn?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ownsConnection)
        {
            return;
        }

        try
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
        finally
        {
            _turn?.Dispose();
        }
    }
}
