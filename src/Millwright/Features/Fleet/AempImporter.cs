using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Millwright.Api;
using Millwright.Features.Alarms;
using Millwright.Features.Telemetry;
using Millwright.Features.Tenants;
using Millwright.Fleet;
using Millwright.Hosting;
using Millwright.Messages;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Fleet;

/// <summary>
/// Polls tenants' AEMP feeds (on their interval, or on request) through the egress policy, and makes a mixed fleet
/// one: each machine a feed names becomes (once) a platform machine and fleet equipment, and its element values
/// newer than what the platform holds go through the telemetry pipeline like any report. A feed that fails (refused
/// by egress, an error status, a timeout, a document that is not a snapshot) records the cause on the source and
/// changes nothing else, so every machine keeps its last good values.
/// </summary>
internal sealed partial class AempImporter(
    IDatabase database, Sessions sessions, EgressPolicy egress, TelemetryPipeline pipeline, LatestValues latest, SecretBox secrets, AlarmWriter alarms, TimeProvider clock,
    ITenantLeadership leadership, ILogger<AempImporter> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, HttpClient> _clients = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _polling = new();

    private static Caller System(long tenant) => new(0, "aemp importer", tenant, Role.Operator);

    /// <summary>Polls one source now (one poll of a source at a time) and returns how it went.</summary>
    public async Task<ImportSourceRow> PollAsync(long tenantId, long sourceId, CancellationToken ct)
    {
        var gate = _polling.GetOrAdd(sourceId, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(ct);
        try
        {
            var source = await sessions.RunAsync(System(tenantId), s => ImportSources.GetAsync(s, sourceId), ct);
            var (error, warnings, machines) = await ImportAsync(source, ct);
            if (error is not null)
            {
                LogFailed(logger, source.Name, tenantId, error);
            }

            var (row, fed) = await sessions.RunAsync(System(tenantId), async s =>
            {
                await ImportSources.RecordAsync(s, sourceId, error, warnings, machines);
                return (await ImportSources.GetAsync(s, sourceId), await ImportedMachines.OfSourceAsync(s, sourceId));
            }, ct);

            // Each machine the feed brings raises (or clears) its own alarm: the alarm list is per machine, and these
            // are the machines whose values go stale. A source that never delivered a machine only records the error.
            var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var machineId in fed)
            {
                alarms.TryEnqueue(new AlarmTransition(error is null ? TransitionKind.Clear : TransitionKind.Raise,
                    FleetAlarms.For(FleetAlarms.FeedFailing, tenantId), tenantId, machineId, error is null ? "recovered" : $"source '{source.Name}': {error}", at));
            }

            return row;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Reads the feed page by page, following each page's <c>next</c> link (at most <see cref="FeedPages.MaxPages"/>,
    /// never to another origin, never twice to one page), and imports each page as it comes: a failure on a later
    /// page keeps what the earlier ones brought and names the page.
    /// </summary>
    private async Task<(string? Error, IReadOnlyList<string> Warnings, long Machines)> ImportAsync(ImportSourceRow source, CancellationToken ct)
    {
        var warnings = new List<string>();
        var machines = 0L;
        var pages = new FeedPages(new Uri(source.Url));
        for (var url = pages.First; url is not null;)
        {
            var page = url;
            var (body, error) = await FetchAsync(source, page, ct);
            if (error is not null)
            {
                return (pages.Name(error), warnings.Take(20).ToList(), machines);
            }

            AempFeedSnapshot snapshot;
            try
            {
                snapshot = AempFeedParser.Parse(body);
            }
            catch (FleetFormatException e)
            {
                return (pages.Name("the feed's answer is not an ISO 15143-3 fleet snapshot: " + e.Message), warnings.Take(20).ToList(), machines);
            }

            warnings.AddRange(snapshot.Skipped);
            machines += await IngestAsync(source, snapshot, warnings, ct);
            (url, error) = pages.Follow(page, snapshot.Next, warnings);
            if (error is not null)
            {
                return (error, warnings.Take(20).ToList(), machines);
            }
        }

        return (null, warnings.Take(20).ToList(), machines);
    }

    /// <summary>Makes (once) the page's machines and sends their values newer than the platform's through the pipeline.</summary>
    private async Task<int> IngestAsync(ImportSourceRow source, AempFeedSnapshot snapshot, List<string> warnings, CancellationToken ct)
    {
        var machines = await sessions.RunAsync(System(source.TenantId), s => ImportedMachines.EnsureAsync(s, source, snapshot.Equipment, warnings), ct);
        foreach (var (machineId, equipment) in machines)
        {
            var known = latest.Of(source.TenantId, machineId).ToDictionary(r => r.Tag, r => r.Timestamp, StringComparer.Ordinal);
            var readings = equipment.Points
                .Where(p => !known.TryGetValue(p.Tag, out var at) || p.At > at)
                .Select(p => new Reading(p.Tag, p.At, p.IsFlag ? TagValue.Of(p.Value != 0) : TagValue.Of(p.Value)))
                .ToList();
            if (readings.Count > 0
                && await pipeline.StoreAsync(new DeviceMessage(source.TenantId, machineId, "aemp", clock.GetUtcNow(), readings), ct) is { } refusal)
            {
                warnings.Add($"{equipment.Key}: values refused: {refusal}");
            }
        }

        return machines.Count;
    }

    private async Task<(byte[] Body, string? Error)> FetchAsync(ImportSourceRow source, Uri url, CancellationToken ct)
    {
        var client = _clients.GetOrAdd(source.TenantId, CreateClient);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(source.TimeoutS));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/xml");
            if (source.Username is not null)
            {
                string password;
                try
                {
                    password = source.Password is null ? "" : secrets.Open(source.TenantId, source.Password);
                }
                catch (Exception e) when (e is CryptographicException or FormatException)
                {
                    return ([], $"the stored password cannot be opened with this node's {SecretBox.FileName} ({e.Message}): enter it again");
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.Username}:{password}")));
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return ([], $"the feed answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > AempFeedParser.MaxBytes)
            {
                return ([], $"the feed's answer is over {AempFeedParser.MaxBytes} bytes");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, deadline.Token)) > 0)
            {
                if (buffer.Length + read > AempFeedParser.MaxBytes)
                {
                    return ([], $"the feed's answer is over {AempFeedParser.MaxBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ([], $"the feed did not answer within {source.TimeoutS} s (timed out)");
        }
        catch (HttpRequestException e)
        {
            return ([], Describe(e));
        }
    }

    /// <summary>Only the kind of failure: HttpClient's messages may quote the peer's bytes, which a tenant must not read.</summary>
    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is EgressDeniedException denied)
            {
                return "refused by the egress policy: " + denied.Message;
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the feed's host name did not resolve",
            HttpRequestError.ConnectionError => "could not connect to the feed",
            HttpRequestError.SecureConnectionError => "the TLS handshake with the feed failed",
            HttpRequestError.InvalidResponse => "the feed's answer is not a valid HTTP response",
            _ => "the request to the feed failed",
        };
    }

    private HttpClient CreateClient(long tenant) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) => new NetworkStream(await egress.ConnectAsync(tenant, context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct), ownsSocket: true),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Tick, clock, stoppingToken);
                List<(long Tenant, long Id)> due;
                try
                {
                    due = await DueAsync(stoppingToken);
                }
                catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                {
                    // The store is out of reach (a PostgreSQL restart): looked at again next tick. Before, this ended
                    // the host, which stopped every node of a cluster during a PostgreSQL outage.
                    LogDueFailed(logger, e);
                    continue;
                }

                foreach (var (tenant, id) in due.Where(d => leadership.Leads(d.Tenant)))
                {
                    try
                    {
                        await PollAsync(tenant, id, stoppingToken);
                    }
                    catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
                    {
                        LogPollCrashed(logger, e, id, tenant);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the next start polls what is due.
        }
    }

    /// <summary>Every tenant's sources whose interval has passed since their last attempt (a platform-wide read).</summary>
    private async Task<List<(long Tenant, long Id)>> DueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT tenant_id, id FROM fleet_import_sources WHERE interval_s > 0 AND (last_attempt_at IS NULL OR last_attempt_at + interval_s * 1000 <= @now) ORDER BY id LIMIT 100",
            new { now }, cancellationToken: ct))).AsList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AEMP import source {Source} of tenant {Tenant} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string source, long tenant, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for AEMP import sources due failed; looking again at the next tick")]
    private static partial void LogDueFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling AEMP import source {Source} of tenant {Tenant} failed unexpectedly")]
    private static partial void LogPollCrashed(ILogger logger, Exception e, long source, long tenant);
}
