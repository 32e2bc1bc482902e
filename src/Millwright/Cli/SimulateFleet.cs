using Millwright.Simulator.Drivers;
using Millwright.Simulator.Fleet;
using Millwright.Simulator.Provisioning;

namespace Millwright.Cli;

/// <summary>
/// <c>millwright simulate --fleet N</c>: N mobile machines over depots and job sites across a country, each depot's
/// machines reported through one gateway connection (Sparkplug B devices), provisioned through the REST API with
/// progress, then run until cancelled with a status line a second. <c>started</c>, if given, sees the
/// simulation once it runs (the tests and the benchmark read its figures).
/// </summary>
internal static class SimulateFleet
{
    public static async Task<int> RunAsync(int machines, BrokerAddress broker, Uri api, string key, TimeSpan report, int seed, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken, Action<FleetSimulation>? started = null, int perDepot = FleetLayout.MachinesPerDepot)
    {
        FleetSimulation fleet;
        try
        {
            using var platform = PlatformApi.Create(api, key);
            await output.WriteLineAsync($"simulate: provisioning a fleet of {machines:N0} machines in {FleetLayout.DepotCount(machines, perDepot)} depots");
            var depots = await new FleetProvisioner(platform, line => output.WriteLine($"simulate: {line}")).ProvisionAsync(machines, cancellationToken, perDepot);
            await BrokerProbe.CheckAsync(broker, key, cancellationToken);
            fleet = new FleetSimulation(depots, broker, report, seed, TimeProvider.System);
        }
        catch (ProvisioningException e)
        {
            await errors.WriteLineAsync($"simulate: {e.Message}");
            return SimulateCommand.ExitCodeOf(e.Failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        await output.WriteLineAsync($"simulate: {fleet.Machines:N0} machines over {fleet.Layout.Sites.Count} job sites, {fleet.Gateways} depot gateways of tenant '{broker.Tenant}' "
            + $"→ mqtt {broker.Host}:{broker.Port}, each machine every {report.TotalSeconds:0.###}s; Ctrl+C stops");
        started?.Invoke(fleet);
        var running = fleet.RunAsync(cancellationToken);
        var inPlace = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            var before = 0L;
            var last = TimeProvider.System.GetTimestamp();
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    var now = TimeProvider.System.GetTimestamp();
                    var line = fleet.StatusLine(before, TimeProvider.System.GetElapsedTime(last, now));
                    (before, last) = (fleet.Stats.Reports, now);
                    await output.WriteAsync(inPlace ? $"\r{line}\u001b[K" : line + Environment.NewLine);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }
        }

        await running;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"simulate: stopped after {fleet.Stats.Reports:N0} reports, {fleet.Stats.Acknowledged:N0} stored");
        return ExitCodes.Ok;
    }
}
