using System.Diagnostics;
using System.Globalization;
using Millwright.Learning.Risk;
using Millwright.Simulator.Models;

namespace Millwright.Bench;

/// <summary>
/// <c>bench maintenance</c>: the same fleet and seeds for <c>days</c> plant days under run-to-failure, fixed-interval
/// and predictive maintenance. The predictor first learns each kind's failure thresholds from a history (another
/// fleet of the same kinds run to failure for <see cref="HistoryDays"/> days), as the platform learns from its stored
/// past; it keeps learning from failures during the run.
/// </summary>
internal static class MaintenanceLoad
{
    public const int HistoryDays = 60;
    public const int PerKind = 4;

    // A Monday midnight: the plant's calendar starts with a working week.
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static string Run(int days, int seed, RiskOptions options, bool byCost, bool opportunistic, Action<string> progress, CancellationToken ct, bool withOrders = true)
    {
        var clock = Stopwatch.StartNew();
        var learned = new Dictionary<MachineKind, KindRecord>
        {
            [MachineKind.Cnc] = new(), [MachineKind.InjectionMoulding] = new(), [MachineKind.SandPrinter] = new(), [MachineKind.Construction] = new(),
        };
        progress($"history: {PerKind * 4} other machines run to failure for {HistoryDays} days to learn from");
        using (var history = new MaintenanceSimulation(MaintenancePolicy.RunToFailure, unchecked(seed + 7_777), PerKind, Start.AddDays(-HistoryDays - 3), learned))
        {
            history.Run(HistoryDays, progress, ct);
        }

        progress("learned from " + string.Join(", ", learned.Select(k => $"{k.Value.Failures.Count} {k.Key} failures")));
        progress("cost decision (used with --renewal-cost): " + string.Join(", ", learned.Select(k => k.Value.Decision(options) is { } d
            ? Invariant($"{k.Key} repair {d.Costs.RepairHours:0.0} h, renew at excess {d.ControlLimit:0.###} (median failure {FailureThreshold.Learn(k.Value.Failures, options)!.Median:0.###})")
            : $"{k.Key} not yet")));
        progress("opportunistic renewal (unless --deadline-only): " + string.Join(", ", learned.Select(k => k.Value.Opportunity(options, MaintenanceSimulation.StopInShift) is { } o
            ? Invariant($"{k.Key} a stop every {1 / o.StopsPerHour:0.0} production h, renewal {o.Marginal:0.00} h beyond it, life {o.MeanLifeHours:0} h, failure {o.Failure:0.0} h")
            : $"{k.Key} not yet")));

        var orders = withOrders ? MaintenanceOrders.Draw(seed, Start, days) : null;
        if (orders is not null)
        {
            progress(Invariant($"orders: {orders.Count} over {days} days ({MaintenanceOrders.ArrivalsPerHour:0.00} per shift hour, {MaintenanceOrders.Load:P0} of nominal capacity), the same for every policy"));
        }

        var outcomes = new List<MaintenanceOutcome>();
        foreach (var policy in Enum.GetValues<MaintenancePolicy>())
        {
            var record = learned.ToDictionary(k => k.Key, k => k.Value.Copy());
            var policyClock = Stopwatch.StartNew();
            using var simulation = new MaintenanceSimulation(policy, seed, PerKind, Start, record, options, byCost, opportunistic, orders);
            outcomes.Add(simulation.Run(days, progress, ct));
            progress(Invariant($"  {policy}: {policyClock.Elapsed.TotalSeconds:0} s"));
        }

        var lines = new List<string>
        {
            Invariant($"maintenance: {PerKind * 4} machines (CNC, moulding, sand printer, excavator), {days} days, two shifts Mon-Fri, seed {seed}, {(byCost ? $"cost decision, renewal cost {options.RenewalCost:0.##} h" : $"acceptable risk {options.Acceptable:0.###}")}{(opportunistic ? ", opportunistic renewal" : "")}{(orders is null ? ", no orders" : $", {orders.Count} orders")}, {clock.Elapsed.TotalSeconds:0} s"),
            "policy          wear breakdowns  stoppages  unplanned down h (wear + stoppages)  maintenance stops (in shift)  renewed at repairs  maintenance h in shift  availability  units",
        };
        lines.AddRange(outcomes.Select(o => Invariant(
            $"{o.Policy,-15} {o.WearBreakdowns,15}  {o.Stoppages,9}  {o.UnplannedDownHours,10:0.0} ({o.WearDownHours:0.0} + {o.StoppageDownHours:0.0}){"",14}  {o.MaintenanceStops,8} ({o.StopsInShift}){"",16}  {o.RenewalsAtRepairs,18}  {o.MaintenanceHoursInShift,22:0.0}  {o.Availability,11:P1}  {o.Units}")));
        if (orders is not null)
        {
            lines.Add("policy          orders completed  due in the run  on time  mean tardiness h  OEE (A × P × Q) of the 12 machines with orders");
            lines.AddRange(outcomes.Select(o => Invariant(
                $"{o.Policy,-15} {o.Orders!.Completed,7} of {o.Orders.Received,-6}  {o.Orders.Due,14}  {o.Orders.OnTimeShare,7:P1}  {o.Orders.MeanTardinessHours,16:0.0}  {Percent(o.Kpis?.Oee)} = {Percent(o.Kpis?.Availability)} × {Percent(o.Kpis?.Effectiveness)} × {Percent(o.Kpis?.QualityRatio)}")));
        }

        var (run, fixedInterval, predictive) = (outcomes[0], outcomes[1], outcomes[2]);
        lines.Add(Invariant(
            $"unplanned downtime h: run-to-failure {run.UnplannedDownHours:0.0}, fixed {fixedInterval.UnplannedDownHours:0.0}, predictive {predictive.UnplannedDownHours:0.0}; maintenance stops: fixed {fixedInterval.MaintenanceStops}, predictive {predictive.MaintenanceStops}"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Percent(double? share) => share is { } s ? Invariant($"{s:P1}") : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
