using System.Globalization;
using System.Text;
using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Energy;

internal static class EnergyApi
{
    public static void MapEnergy(this IEndpointRouteBuilder app)
    {
        var meter = app.MapGroup("/api/v1/machines/{machineId:long}/energy-meter").WithTags("Energy");
        meter.MapGet("/", async (long machineId, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => EnergyMeters.GetAsync(s, machineId), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithSummary("The meter that measures the machine: a meter machine, its energy counter tag and the counter's unit.");
        meter.MapPut("/", async (long machineId, EnergyMeterInput input, Caller caller, Sessions sessions, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => EnergyMeters.PutAsync(s, machineId, input), ct)))
            .RequireAuthorization(Policies.Operator)
            .WithSummary("Measure the machine by a meter machine's energy counter (kWh, Wh or MWh); without one the machine's own energyCounter counts, as kWh.");
        meter.MapDelete("/", async (long machineId, Caller caller, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.RunAsync(caller, async s =>
                {
                    await EnergyMeters.DeleteAsync(s, machineId);
                    return true;
                }, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Operator);

        app.MapGet("/api/v1/energy", async ([AsParameters] EnergyQuery query, Caller caller, Sessions sessions, TelemetryStorage storage, CancellationToken ct) =>
                TypedResults.Ok(await sessions.RunAsync(caller, s => EnergyReport.RunAsync(s, query, storage.Store, ct), ct)))
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Energy")
            .WithSummary("Energy of a machine, line, site or the tenant over [from, to) (at most 31 days): kWh by state, standby energy, 15-minute demand peak, energy per good unit and energy utilization, per machine and in total.");
        app.MapGet("/api/v1/energy.csv", async ([AsParameters] EnergyQuery query, HttpContext http, Caller caller, Sessions sessions, TelemetryStorage storage, CancellationToken ct) =>
            {
                var report = await sessions.RunAsync(caller, s => EnergyReport.RunAsync(s, query, storage.Store, ct), ct);
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"energy-{report.Scope}{(report.Id is { } id ? "-" + id.ToString(CultureInfo.InvariantCulture) : "")}.csv\"";
                await http.Response.WriteAsync(Csv(report), ct);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Energy")
            .WithSummary("The energy report as CSV: one row per machine and a total row.");
    }

    internal static string Csv(EnergyReportDto report)
    {
        var csv = new StringBuilder("machine_id,machine,meter_machine_id,counter_tag,kwh,productive_kwh,standby_kwh,setup_kwh,down_kwh,unattributed_kwh,peak_demand_kw,peak_at,good_units,kwh_per_good_unit,energy_utilization\n");
        foreach (var m in report.Machines)
        {
            Row(csv, m.MachineId.ToString(CultureInfo.InvariantCulture), CsvCells.Quote(m.Name), m.MeterMachineId?.ToString(CultureInfo.InvariantCulture) ?? "",
                m.CounterTag is null ? "" : CsvCells.Quote(m.CounterTag), m.Figures);
        }

        Row(csv, "", CsvCells.Quote("total"), "", "", report.Total);
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string id, string name, string meter, string tag, EnergyFigures f)
    {
        static string N(double? x) => x?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        csv.Append(CultureInfo.InvariantCulture, $"{id},{name},{meter},{tag},{N(f.Kwh)},{N(f.ProductiveKwh)},{N(f.StandbyKwh)},{N(f.SetupKwh)},{N(f.DownKwh)},{N(f.UnattributedKwh)},");
        csv.Append(CultureInfo.InvariantCulture, $"{N(f.PeakDemandKw)},{f.PeakAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)},{N(f.GoodUnits)},{N(f.KwhPerGoodUnit)},{N(f.EnergyUtilization)}\n");
    }
}
