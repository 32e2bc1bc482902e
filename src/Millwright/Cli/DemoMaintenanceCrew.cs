using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Millwright.Simulator;

namespace Millwright.Cli;

/// <summary>
/// The demo's maintenance crew and its operator (docs/predictive-maintenance.md, "In the demo"): every
/// <see cref="Every"/> it reads the machines' risk over REST, as a maintenance planner's screen would. When a machine's
/// maintenance stop in the calendar has begun, the crew carries it out on the simulated machine (its part renewed,
/// the machine idle until the stop ends); once the stop is over, the operator confirms it through the platform's
/// maintenance-record route, as a person pressing "Confirm maintenance done" would, so the machine's risk starts again
/// from a new part. A stop the machine could not take (down for the whole stop) is not confirmed. When the platform
/// advises renewing a part while its machine is stopped anyway (<c>renewDuringStop</c>: down for a repair, or in a
/// planned stop of another kind), the crew renews it then, if the machine is still down, idle or in set-up when the
/// crew gets to it (one running again is left for a later stop), and the operator records it as maintenance outside a
/// planned stop, as the docs ask of a person.
/// </summary>
/// <param name="api">A client of the platform that sends a tenant operator's or admin's key.</param>
/// <param name="machines">The virtual factory's machines by their id on the platform.</param>
internal sealed class DemoMaintenanceCrew(HttpClient api, IReadOnlyDictionary<long, MachineRunner> machines, TextWriter output, TimeProvider time)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    /// <summary>A renewal during a stop takes the platform's stop length, as the advice's costs assume (MaintenanceOptions.StopLength).</summary>
    public static readonly TimeSpan Renewal = new Features.Maintenance.MaintenanceOptions().StopLength;

    // Stops carried out and not confirmed yet: (machine, stop start) → the stop's end. Owned by the pass loop.
    private readonly Dictionary<(long Machine, DateTimeOffset From), DateTimeOffset> _carriedOut = [];

    // Asked of a machine that has not answered yet (not connected at the time).
    private readonly Dictionary<(long Machine, DateTimeOffset From), Task<bool>> _asked = [];

    // Renewals during a stop asked of a machine that has not answered yet, and machines that refused one: not asked
    // again before the time kept (a wear failure's own repair fits a new part, and the advice lasts while it is down).
    private readonly Dictionary<long, Task<bool>> _renewing = [];
    private readonly Dictionary<long, DateTimeOffset> _refused = [];

    /// <summary>Stops the crew carried out and the operator confirmed since start.</summary>
    public int Confirmed { get; private set; }

    /// <summary>Parts renewed during a stop on the platform's advice and recorded since start.</summary>
    public int RenewedDuringStops { get; private set; }

    /// <summary>One pass every <see cref="Every"/> until cancelled; a failed call is reported and the crew goes on.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(cancellationToken);
                await Task.Delay(Every, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                await output.WriteLineAsync($"maintenance crew: {e.Message}");
            }
        }
    }

    /// <summary>Carries out the maintenance stops that have begun, then confirms those that are over.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var risk = JsonNode.Parse(await api.GetStringAsync("/api/v1/risk", cancellationToken))!["items"]!.AsArray();
        var now = time.GetUtcNow();
        foreach (var item in risk)
        {
            var id = item!["machineId"]!.GetValue<long>();
            if (item["renewDuringStop"]?.GetValue<bool>() == true && machines.TryGetValue(id, out var stopped))
            {
                await RenewDuringStopAsync(id, stopped, now, cancellationToken);
            }

            if (item["plannedStop"] is not { } stop || !machines.TryGetValue(id, out var machine))
            {
                continue;
            }

            var (from, to) = (stop["from"]!.GetValue<DateTimeOffset>(), stop["to"]!.GetValue<DateTimeOffset>());
            if (from > now || to <= now || _carriedOut.ContainsKey((id, from)))
            {
                continue;
            }

            // The machine's own loop does the work at its next tick; it refuses while down (a repair comes first), and
            // the next pass asks again. One not connected does it when it is: the answer is awaited then.
            if (!_asked.TryGetValue((id, from), out var asked))
            {
                _asked[(id, from)] = asked = machine.MaintainAsync(to - now);
            }

            await Task.WhenAny(asked, Task.Delay(TimeSpan.FromSeconds(10), time, cancellationToken));
            if (!asked.IsCompleted)
            {
                continue;
            }

            _asked.Remove((id, from));
            if (await asked)
            {
                _carriedOut[(id, from)] = to;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"maintenance crew: {machine.Machine.Name}'s part renewed in its planned stop {from.ToLocalTime():HH:mm}-{to.ToLocalTime():HH:mm}"));
            }
        }

        foreach (var ((id, from), to) in _carriedOut.Where(c => c.Value <= now).ToList())
        {
            await ConfirmAsync(id, from, cancellationToken);
        }
    }

    /// <summary>The part renewed while the machine is stopped anyway, then recorded as maintenance without a planned stop (doneAt: now).</summary>
    private async Task RenewDuringStopAsync(long id, MachineRunner machine, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_refused.TryGetValue(id, out var until) && until > now)
        {
            return;
        }

        if (!_renewing.TryGetValue(id, out var asked))
        {
            _renewing[id] = asked = machine.RenewDuringStopAsync(Renewal);
        }

        await Task.WhenAny(asked, Task.Delay(TimeSpan.FromSeconds(10), time, cancellationToken));
        if (!asked.IsCompleted)
        {
            return;
        }

        _renewing.Remove(id);
        if (!await asked)
        {
            _refused[id] = now + Renewal;
            await output.WriteLineAsync($"maintenance crew: {machine.Machine.Name} refused a renewal during its stop (running again, or its repair fits a new part)");
            return;
        }

        using var response = await api.PostAsJsonAsync($"/api/v1/machines/{id}/maintenance-records",
            new { kind = "maintenance", note = "part renewed during a stop by the demo's maintenance crew, as the platform advised" }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The part is renewed on the machine but not on record: the risk stays as it was until someone records it.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            _refused[id] = now + Renewal;
            await output.WriteLineAsync($"maintenance crew: recording {machine.Machine.Name}'s renewal was refused ({(int)response.StatusCode}): {body}");
            return;
        }

        RenewedDuringStops++;
        await output.WriteLineAsync($"maintenance crew: {machine.Machine.Name}'s part renewed during a stop, as the platform advised, and recorded");
    }

    private async Task ConfirmAsync(long id, DateTimeOffset from, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync($"/api/v1/machines/{id}/maintenance-records",
            new { kind = "maintenance", plannedStopFrom = from, note = "carried out by the demo's maintenance crew" }, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
        {
            // 409: someone confirmed it on the machine page first; either way it is on record.
            _carriedOut.Remove((id, from));
            Confirmed += response.IsSuccessStatusCode ? 1 : 0;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"maintenance crew: {machines[id].Machine.Name}'s stop from {from.ToLocalTime():HH:mm} confirmed done{(response.IsSuccessStatusCode ? "" : " (already, by someone else)")}"));
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        await output.WriteLineAsync($"maintenance crew: confirming {machines[id].Machine.Name}'s stop was refused ({(int)response.StatusCode}): {body}");
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            _carriedOut.Remove((id, from)); // the stop was moved or removed: asking again would be refused again
        }
    }
}
