using Millwright.Simulator.Jobs;

namespace Millwright.Simulator.Models;

/// <summary>
/// Finishing (buttons, pressing, inspection): a garment takes the job's unit time; the press heats while running
/// and cools otherwise; garment_count counts garments finished. Without jobs it finishes stock garments.
/// </summary>
internal sealed class FinishingStation : GarmentStation
{
    private static readonly CycleProfile Cycle = new(
        Run: (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(40)),
        Idle: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(8)),
        Setup: (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3)),
        MeanTimeBetweenFailures: TimeSpan.FromHours(12),
        Repair: (TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(15)),
        // Steam pressure low, boiler fault.
        AlarmCodes: [51, 52]);

    private double _pressTemperature = 25;

    public FinishingStation(string name, int seed, TimeProvider time) : base(name, seed, time, Cycle)
    {
    }

    public override MachineTypeDefinition Definition => MachineCatalog.Finishing;

    protected override TimeSpan WorkFor(HeldJob job) => job.Unit;

    protected override TimeSpan StockTime() => TimeSpan.FromSeconds(Random.Next(240, 480));

    protected override void Advance(TimeSpan slice)
    {
        // The press heats towards 160 °C while working and cools towards the room, with a time constant of two minutes.
        var target = State == MachineState.Running ? 160 : 25;
        _pressTemperature += (target - _pressTemperature) * Math.Min(1, slice.TotalSeconds / 120);
        base.Advance(slice);
    }

    protected override void Report(IDictionary<string, object> values)
    {
        values["garment_count"] = Garments;
        values["scrap_count"] = Scrapped;
        values["press_temperature"] = Math.Round(_pressTemperature, 1);
        values["running"] = State == MachineState.Running;
        values["alarm_code"] = (long)AlarmCode;
    }
}
