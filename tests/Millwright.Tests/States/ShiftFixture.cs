using System.Net;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Millwright.Messages;
using Millwright.Tests.Harness;

namespace Millwright.Tests.States;

/// <summary>
/// One early shift of a CNC on Mon 2026-01-05 in Europe/Berlin (06:00-14:00 CET = 05:00-13:00 UTC, break
/// 10:00-10:30 CET = 09:00-09:30 UTC), played into a tracker of its own on a stepped clock. The KPI tests
/// work its figures out by hand.
/// </summary>
internal sealed record ShiftFixture(Plant Plant, long MachineId, StateTracker Tracker, ManualClock Clock)
{
    public static DateTimeOffset At(int hour, int minute = 0) => new(2026, 1, 5, hour, minute, 0, TimeSpan.Zero);

    public static async Task<ShiftFixture> CreateAsync(TestTenant t, IDatabase database)
    {
        var plant = await Plant.CreateAsync(t);
        var type = await t.Operator.PostJsonAsync("/api/v1/machine-types", new
        {
            name = $"{plant.Marker} cnc",
            tags = new object[]
            {
                new { name = "spindle_speed", unit = "rpm" }, new { name = "feed_override", unit = "%" }, new { name = "alarm_code", dataType = "int" },
                new { name = "program", dataType = "string" }, new { name = "part_count", dataType = "int", kind = "counter" },
                new { name = "scrap_count", dataType = "int", kind = "counter" }, new { name = "energy", unit = "kWh", kind = "counter" },
            },
        }, HttpStatusCode.Created);
        await t.Operator.PutJsonAsync($"/api/v1/machine-types/{type.Id()}/state-rules", new
        {
            rules = new object[]
            {
                new { state = "down", when = "alarm_code != 0" },
                new { state = "setup", when = "program == 'SETUP'" },
                new { state = "running", when = "spindle_speed > 0 and feed_override > 0" },
            },
            offlineAfterSeconds = 120,
            alarmTag = "alarm_code",
            alarmReasons = new Dictionary<string, string> { ["42"] = "spindle overload" },
            partCounter = "part_count",
            scrapCounter = "scrap_count",
            energyCounter = "energy",
            idealCycleSeconds = 30,
        }, HttpStatusCode.OK);
        await t.Operator.PutJsonAsync($"/api/v1/sites/{plant.SiteId}/calendar", new
        {
            shifts = new object[] { new { name = "early", days = new[] { "mon", "tue", "wed", "thu", "fri" }, start = "06:00", end = "14:00", breaks = new[] { new { start = "10:00", end = "10:30" } } } },
        }, HttpStatusCode.OK);
        var machine = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = type.Id(), name = $"{plant.Marker}-cnc" }, HttpStatusCode.Created);
        var clock = new ManualClock(At(5));
        var fixture = new ShiftFixture(plant, machine.Id(), new StateTracker(database, clock, NullLogger<StateTracker>.Instance), clock);
        await fixture.PlayAsync(t.Id);
        return fixture;
    }

    private async Task PlayAsync(long tenant)
    {
        async Task Send(int hour, int minute, params (string Tag, object Value)[] values)
        {
            Clock.Now = At(hour, minute);
            var readings = values.Select(v => new Reading(v.Tag, Clock.Now.ToUnixTimeMilliseconds(), v.Value switch
            {
                string s => TagValue.Of(s),
                bool b => TagValue.Of(b),
                var n => TagValue.Of(Convert.ToDouble(n, System.Globalization.CultureInfo.InvariantCulture)),
            })).ToList();
            await Tracker.ApplyAsync(new DeviceMessage(tenant, MachineId, "test", Clock.Now, readings));
        }

        // Times are UTC. Counters: the first reading is the baseline and counts nothing.
        await Send(5, 0, ("spindle_speed", 1000), ("feed_override", 100), ("alarm_code", 0), ("program", "O1"), ("part_count", 100), ("scrap_count", 10), ("energy", 5000));
        await Send(7, 0, ("part_count", 340), ("scrap_count", 16), ("energy", 5060));                    // +240 parts, +6 scrap, +60 kWh
        await Send(8, 0, ("alarm_code", 42), ("spindle_speed", 0), ("part_count", 460));                 // down (spindle overload), +120 parts
        await Send(8, 30, ("alarm_code", 0), ("spindle_speed", 1000), ("part_count", 5), ("energy", 5100)); // running; counter reset: +5 parts, +40 kWh
        await Send(11, 0, ("alarm_code", 7), ("part_count", 245), ("scrap_count", 20), ("energy", 5200)); // down (alarm 7), +240 parts, +4 scrap, +100 kWh
        await Send(11, 15, ("alarm_code", 0));                                                           // running
        await Send(12, 0, ("program", "SETUP"));                                                         // setup
        await Send(12, 30, ("program", "O1"));                                                           // running
        await Send(12, 50, ("part_count", 285), ("energy", 5220));                                       // +40 parts, +20 kWh; then silence

        // Two minutes of silence allowed: at 13:10 the sweep marks it offline from its last message (12:50).
        Clock.Now = At(13, 10);
        await Tracker.SweepAsync();
    }
}
