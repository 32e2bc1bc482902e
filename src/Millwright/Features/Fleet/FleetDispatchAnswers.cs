using System.Threading.Channels;
using Millwright.Api;
using Millwright.Features.Connectivity;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Fleet;

/// <summary>
/// The fleet's side of the machine-command port: answers whose commandId is in the fleet's namespace (or, the older
/// form, that name an assignmentId) are claimed on the transport's
/// thread, queued, and written here (to the assignment, or to the release a <c>fleet.release</c> answer names):
/// accepted → acknowledged, rejected → failed with the machine's reason. Only
/// the machine the assignment went to can answer for it; a malformed answer is refused so the machine hears why.
/// </summary>
internal sealed partial class FleetDispatchAnswers(IDatabase database, TimeProvider clock, ILogger<FleetDispatchAnswers> logger) : BackgroundService, IMachineAckHandler
{
    private static readonly Caller Dispatcher = new(0, "fleet-dispatch", null, Role.TenantAdmin);

    // Answers are as many as dispatched assignments; past the bound the machine is told to send again (its QoS 1 retry does).
    private readonly Channel<(long Tenant, long Machine, DispatchAck Ack)> _answers =
        Channel.CreateBounded<(long, long, DispatchAck)>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public string CommandNamespace => DispatchAck.Namespace;

    public AckVerdict Handle(MachineAck ack)
    {
        // The port sends answers whose id is in the fleet's namespace here alone; an older answer without one is the fleet's when it names an assignment.
        if (Connectivity.CommandNamespace.Of(ack.Payload.Span) != DispatchAck.Namespace && !DispatchAck.NamesAnAssignment(ack.Payload.Span))
        {
            return AckVerdict.NotMine("an answer to a fleet dispatch names its assignmentId");
        }

        try
        {
            var parsed = DispatchAck.Parse(ack.Payload.Span);
            return _answers.Writer.TryWrite((ack.TenantId, ack.MachineId, parsed)) ? AckVerdict.Taken : AckVerdict.Refuse("the platform is busy; send the answer again");
        }
        catch (FormatException e)
        {
            return AckVerdict.Refuse(e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (tenant, machine, ack) in _answers.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var s = await Session.BeginAsync(database, Dispatcher with { TenantId = tenant }, clock, stoppingToken);
                // A release's answer goes to its own row; either way only the machine the command went to can answer it.
                var updated = await s.ExecuteAsync(
                    ack.Release
                        ? """
                          UPDATE fleet_plan_releases SET dispatch_status = @status, dispatch_detail = @detail, answered_at = @Now
                          WHERE tenant_id = @Tenant AND id = @Id AND machine_id = @machine
                          """
                        : """
                          UPDATE fleet_plan_assignments SET dispatch_status = @status, dispatch_detail = @detail, answered_at = @Now
                          WHERE tenant_id = @Tenant AND id = @Id AND machine_id = @machine AND dispatch_status IN ('sent', 'acknowledged', 'failed') AND dispatched_at IS NOT NULL
                          """, new
                    {
                        s.Tenant, ack.Id, machine, status = ack.Accepted ? "acknowledged" : "failed",
                        detail = ack.Accepted ? "acknowledged by the machine" : $"the machine refused it: {ack.Reason ?? "no reason given"}", s.Now,
                    });
                if (updated == 0)
                {
                    LogStale(logger, machine, ack.Release ? DispatchAck.ReleaseCommandIdOf(ack.Id) : DispatchAck.CommandIdOf(ack.Id));
                }

                await s.CommitAsync(stoppingToken);
            }
            catch (Exception e) when (LoopFaults.Survives(e, stoppingToken))
            {
                LogFailed(logger, e, machine, ack.Release ? DispatchAck.ReleaseCommandIdOf(ack.Id) : DispatchAck.CommandIdOf(ack.Id));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {Machine} answered command {Command}, which was not sent to it; ignored")]
    private static partial void LogStale(ILogger logger, long machine, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer of machine {Machine} to command {Command} could not be recorded")]
    private static partial void LogFailed(ILogger logger, Exception e, long machine, string command);
}
