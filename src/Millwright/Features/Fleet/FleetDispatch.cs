using System.Text.Json;
using Millwright.Api;
using Millwright.Features.Connectivity;
using Millwright.Security;

namespace Millwright.Features.Fleet;

/// <summary>
/// Sends an accepted plan's assignments to the machines' telematics units through the machine-command port, the
/// same port production uses: one <c>fleet.dispatch</c> command per assignment (docs/fleet.md, "Dispatch") naming
/// the destination site, its coordinates, the start and end, and the operator. Each assignment records whether the
/// port sent it or refused it (the refusal is the detail); the machine's answer comes back through
/// <see cref="FleetDispatchAnswers"/>. A machine the new plan moves off a request it was dispatched to gets a
/// <c>fleet.release</c> command, recorded and answered the same way (docs/fleet.md, "Releases").
/// </summary>
internal sealed class FleetDispatch(IMachineCommands commands)
{
    public const string CommandType = "fleet.dispatch";

    /// <summary>The command that tells a machine an accepted re-plan took a request it was dispatched to away from it.</summary>
    public const string ReleaseType = "fleet.release";

    /// <summary>
    /// Sends the plan's assignments and records its releases, which <see cref="SendReleasesAsync"/> sends once this
    /// session has committed: a unit may answer at once, and its answer must find the release's row.
    /// </summary>
    public async Task<IReadOnlyList<PendingRelease>> SendPlanAsync(Session s, long planId, CancellationToken cancellationToken)
    {
        var slug = await s.ScalarAsync<string>("SELECT slug FROM tenants WHERE id = @Tenant", new { s.Tenant });
        var rows = await s.QueryAsync<DispatchRow>(
            """
            SELECT x.id AS Id, p.revision AS Revision, x.machine_id AS MachineId, m.name AS MachineName, x.operator_name AS OperatorName, r.id AS RequestId,
                   r.site AS Site, r.latitude AS Latitude, r.longitude AS Longitude, r.starts_at AS StartsAt, r.ends_at AS EndsAt
            FROM fleet_plan_assignments x
            JOIN fleet_allocation_plans p ON p.tenant_id = x.tenant_id AND p.id = x.plan_id
            JOIN fleet_site_requests r ON r.tenant_id = x.tenant_id AND r.id = x.request_id
            JOIN machines m ON m.tenant_id = x.tenant_id AND m.id = x.machine_id
            WHERE x.tenant_id = @Tenant AND x.plan_id = @planId ORDER BY x.id
            """, new { s.Tenant, planId });
        var inForce = await InForceBeforeAsync(s, planId);
        var (sent, kept) = (0, 0);
        var planned = rows.Select(r => (r.RequestId, r.MachineId)).ToHashSet();
        foreach (var row in rows)
        {
            var destination = JsonSerializer.Serialize(new
            {
                requestId = row.RequestId, site = row.Site, latitude = row.Latitude, longitude = row.Longitude, start = DateTimeOffset.FromUnixTimeMilliseconds(row.StartsAt),
                end = DateTimeOffset.FromUnixTimeMilliseconds(row.EndsAt), @operator = row.OperatorName,
            });
            // Unchanged (same machine, same destination) and not failed: the machine has this command already, so it is not sent again and shares that dispatch's state.
            if (inForce.TryGetValue(row.RequestId, out var before) && before.MachineId == row.MachineId && before.Destination == destination && before.Status is "sent" or "acknowledged")
            {
                await s.ExecuteAsync(
                    "UPDATE fleet_plan_assignments SET dispatch_of = @SentAs, destination = @destination WHERE tenant_id = @Tenant AND id = @Id",
                    new { s.Tenant, row.Id, before.SentAs, destination });
                kept++;
                continue;
            }

            var payload = JsonSerializer.SerializeToUtf8Bytes(new
            {
                type = CommandType, commandId = DispatchAck.CommandIdOf(row.Id), assignmentId = row.Id, planId, revision = row.Revision, requestId = row.RequestId,
                site = row.Site, latitude = row.Latitude, longitude = row.Longitude, start = DateTimeOffset.FromUnixTimeMilliseconds(row.StartsAt),
                end = DateTimeOffset.FromUnixTimeMilliseconds(row.EndsAt), @operator = row.OperatorName,
            });
            // Recorded as sent before it goes: a machine that answers at once finds its dispatch (on PostgreSQL its
            // answer waits for this row's lock and then applies; written after the send, it found nothing to answer).
            await s.ExecuteAsync(
                """
                UPDATE fleet_plan_assignments SET dispatch_status = 'sent', dispatch_detail = NULL, dispatched_at = @Now, answered_at = NULL, destination = @destination
                WHERE tenant_id = @Tenant AND id = @Id
                """,
                new { s.Tenant, row.Id, s.Now, destination });
            var receipt = await commands.SendAsync(new MachineCommand(s.Tenant, slug, row.MachineId, row.MachineName, payload), cancellationToken);
            await s.ExecuteAsync(
                "UPDATE fleet_plan_assignments SET dispatch_status = @status, dispatch_detail = @detail WHERE tenant_id = @Tenant AND id = @Id",
                new { s.Tenant, row.Id, status = receipt.Sent ? "sent" : "failed", detail = receipt.Refusal ?? $"sent to {receipt.Address} over {receipt.Transport}" });
            sent++;
        }

        // A machine that holds (or may hold) a dispatch for a request the new plan gives to another machine, or to
        // none, is told it is released, so its operator does not drive to a site where another machine is coming.
        var releases = new List<PendingRelease>();
        foreach (var before in inForce.Values.Where(b => b.Status is "sent" or "acknowledged" && !planned.Contains((b.RequestId, b.MachineId))))
        {
            releases.Add(await RecordReleaseAsync(s, slug, planId, before, rows.FirstOrDefault(r => r.RequestId == before.RequestId)));
        }

        await s.AuditAsync("dispatch", "allocation-plan", planId,
            $"{sent} assignments sent to their machines, {kept} unchanged from the plan in force before and not sent again, {releases.Count} machines released");
        return releases;
    }

    /// <summary>Sends the recorded releases, each receipt in a short session of its own; an answer already recorded is not overwritten.</summary>
    public async Task SendReleasesAsync(Sessions sessions, Caller caller, IReadOnlyList<PendingRelease> releases, CancellationToken cancellationToken)
    {
        foreach (var release in releases)
        {
            var receipt = await commands.SendAsync(release.Command, cancellationToken);
            await sessions.RunAsync(caller, s => s.ExecuteAsync(
                """
                UPDATE fleet_plan_releases SET dispatch_status = @status, dispatch_detail = @detail
                WHERE tenant_id = @Tenant AND id = @Id AND dispatch_status = 'sent' AND answered_at IS NULL
                """,
                new { s.Tenant, release.Id, status = receipt.Sent ? "sent" : "failed", detail = receipt.Refusal ?? $"{release.Reason}; sent to {receipt.Address} over {receipt.Transport}" }),
                cancellationToken);
        }
    }

    /// <summary>Records one <c>fleet.release</c> as sent and makes its command; the machine's answer comes back like a dispatch's.</summary>
    private static async Task<PendingRelease> RecordReleaseAsync(Session s, string slug, long planId, InForce before, DispatchRow? successor)
    {
        var target = await s.QueryOneAsync<(string Machine, string Site, long Revision)>(
            """
            SELECT m.name, r.site, p.revision FROM machines m
            JOIN fleet_site_requests r ON r.tenant_id = m.tenant_id AND r.id = @RequestId
            JOIN fleet_allocation_plans p ON p.tenant_id = m.tenant_id AND p.id = @planId
            WHERE m.tenant_id = @Tenant AND m.id = @MachineId
            """, new { s.Tenant, before.RequestId, before.MachineId, planId });
        var reason = successor is null ? "the request is no longer in the plan" : $"the request goes to {successor.MachineName}";
        var id = await s.ScalarAsync<long>(
            """
            INSERT INTO fleet_plan_releases (tenant_id, plan_id, request_id, machine_id, released_of, dispatch_status, dispatched_at)
            VALUES (@Tenant, @planId, @RequestId, @MachineId, @SentAs, 'sent', @Now) RETURNING id
            """, new { s.Tenant, planId, before.RequestId, before.MachineId, before.SentAs, s.Now });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = ReleaseType, commandId = DispatchAck.ReleaseCommandIdOf(id), releaseId = id, planId, revision = target.Revision, requestId = before.RequestId,
            site = target.Site, releases = DispatchAck.CommandIdOf(before.SentAs), reason,
        });
        return new PendingRelease(id, reason, new MachineCommand(s.Tenant, slug, before.MachineId, target.Machine, payload));
    }

    /// <summary>A release recorded in the acceptance's session, to be sent after it commits.</summary>
    internal sealed record PendingRelease(long Id, string Reason, MachineCommand Command);

    /// <summary>
    /// The assignments of the plan accepted before this one, by request: the machine, the destination it was sent and
    /// the state of the dispatch that carried it (an assignment kept from an earlier revision points to that one).
    /// </summary>
    private static async Task<Dictionary<long, InForce>> InForceBeforeAsync(Session s, long planId)
    {
        var before = await s.ScalarAsync<long?>(
            "SELECT id FROM fleet_allocation_plans WHERE tenant_id = @Tenant AND accepted_at IS NOT NULL AND id <> @planId ORDER BY revision DESC LIMIT 1",
            new { s.Tenant, planId });
        if (before is null)
        {
            return [];
        }

        var rows = await s.QueryAsync<InForce>(
            """
            SELECT x.request_id AS RequestId, x.machine_id AS MachineId, d.id AS SentAs, d.destination AS Destination, d.dispatch_status AS Status
            FROM fleet_plan_assignments x
            JOIN fleet_plan_assignments d ON d.tenant_id = x.tenant_id AND d.id = COALESCE(x.dispatch_of, x.id)
            WHERE x.tenant_id = @Tenant AND x.plan_id = @before
            """, new { s.Tenant, before });
        return rows.ToDictionary(r => r.RequestId);
    }

    private sealed class InForce
    {
        public long RequestId { get; set; }
        public long MachineId { get; set; }
        public long SentAs { get; set; }
        public string? Destination { get; set; }
        public string Status { get; set; } = "";
    }

    private sealed class DispatchRow
    {
        public long Id { get; set; }
        public long Revision { get; set; }
        public long MachineId { get; set; }
        public string MachineName { get; set; } = "";
        public string? OperatorName { get; set; }
        public long RequestId { get; set; }
        public string Site { get; set; } = "";
        public double Latitude { get; set; }
        public double Longitude { get; set; }
        public long StartsAt { get; set; }
        public long EndsAt { get; set; }
    }
}
