using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Anomalies;
using Millwright.Messages;
using Millwright.Testing;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Anomalies;

/// <summary>The platform loop: committed telemetry → per-state detectors → stored anomalies and ISA-18.2 alarms, feedback, restart.</summary>
public abstract class AnomalyLoopTests(ClockedHost fixture)
{
    [Fact]
    public async Task A_value_normal_while_running_is_an_anomaly_while_idle_and_raises_an_explained_alarm()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);

        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var status = await Eventually.ValueAsync(() => kit.StatusAsync(), s => AnomalyKit.Anomalies(s).Count > 0, "an anomaly while idle");
        var anomaly = AnomalyKit.Anomalies(status).Single()!;
        Assert.Equal("idle", anomaly["context"]!.GetValue<string>());
        Assert.Equal("vibration", anomaly["tag"]!.GetValue<string>());
        Assert.True(anomaly["expectedHigh"]!.GetValue<double>() < 2, anomaly.ToJsonString());

        var alarm = await WaitForAlarmAsync(kit, a => a["tag"]!.GetValue<string>() == "vibration", "for the vibration anomaly");
        var message = alarm["message"]!.GetValue<string>();
        Assert.Equal("anomaly: vibration", alarm["ruleName"]!.GetValue<string>());
        Assert.Equal("active", alarm["state"]!.GetValue<string>());
        Assert.Contains($"{kit.Plant.Marker}-press: vibration = 10 while idle: expected ", message);
        Assert.Contains("a reading this unusual comes 1 in ", message);
        Assert.Contains(" since ", message);

        // The same value while running is ordinary: learned, and no anomaly in the running context.
        await kit.PhaseAsync(power: 5);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 4);
        status = await kit.LearnedAsync(0, "running", 301);
        Assert.DoesNotContain(AnomalyKit.Anomalies(status), a => a!["context"]!.GetValue<string>() == "running");
        Assert.True(AnomalyKit.Context(status, "running")!["lastScore"]!.GetValue<double>() < 0.5);
    }

    [Fact]
    public async Task An_anomaly_alarm_returns_to_normal_after_ordinary_readings_and_waits_for_its_acknowledgement()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var alarm = await WaitForAlarmAsync(kit, a => a["tag"]!.GetValue<string>() == "vibration", "for the vibration anomaly");

        await kit.VibrationAsync(new AnomalyOptions().ClearAfter, level: 1, noise: 0.05, seed: 5);
        await WaitForAlarmAsync(kit, a => a.Id() == alarm.Id() && a["state"]!.GetValue<string>() == "rtn_unack", "returned to normal");
        await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/acknowledge", new { comment = "bearing checked" }, HttpStatusCode.OK);
        await WaitForAlarmAsync(kit, a => a.Id() == alarm.Id() && a["state"]!.GetValue<string>() == "closed", "closed");
    }

    [Fact]
    public async Task An_open_anomaly_alarm_returns_to_normal_when_a_set_up_begins_and_stays_so_through_it()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var alarm = await WaitForAlarmAsync(kit, a => a["tag"]!.GetValue<string>() == "vibration" && a["state"]!.GetValue<string>() == "active", "for the vibration anomaly");

        // No reading after the spike: the set-up itself ends the alarm (suppression begins), which then waits for its acknowledgement.
        await kit.PhaseAsync(power: 0.5);
        await WaitForAlarmAsync(kit, a => a.Id() == alarm.Id() && a["state"]!.GetValue<string>() == "rtn_unack", "returned to normal at the set-up");
        Assert.False((await kit.StatusAsync())["series"]![0]!["alarmOpen"]!.GetValue<bool>());

        // Readings during the set-up raise nothing new, and the acknowledgement closes the alarm as any other.
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 8);
        await kit.Tenant.Operator.PostJsonAsync($"/api/v1/alarms/{alarm.Id()}/acknowledge", new { comment = "seen during the tool change" }, HttpStatusCode.OK);
        await WaitForAlarmAsync(kit, a => a.Id() == alarm.Id() && a["state"]!.GetValue<string>() == "closed", "closed");
        // A set-up is a changeover: with no program reported, the machine's baselines after it are new ones.
        await kit.PhaseAsync(power: 0);
        await kit.VibrationAsync(1, level: 1, noise: 0, seed: 9);
        await AfterSetUpAsync(kit, "idle");
        Assert.Single(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
    }

    [Fact]
    public async Task Readings_in_set_up_are_neither_scored_nor_alarmed()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        await kit.PhaseAsync(power: 0.5); // set-up
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        await kit.PhaseAsync(power: 0);
        await kit.VibrationAsync(1, level: 1, noise: 0, seed: 6);

        // Messages are judged in order, so once the idle reading after the set-up is learned the spike was seen.
        var status = await AfterSetUpAsync(kit, "idle");
        Assert.Equal(300, AnomalyKit.Learned(status, "idle"));
        Assert.Empty(AnomalyKit.Anomalies(status));
        Assert.Empty(await kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"));
    }

    [Fact]
    public async Task Marking_an_anomaly_false_lowers_the_next_score_for_the_same_kind_of_deviation()
    {
        // Two machines of one type get exactly the same readings; only the first one's anomaly is marked false.
        using var kit = await AnomalyKit.CreateAsync(fixture, machines: 2);
        await TrainAsync(kit);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var marked = AnomalyKit.Anomalies(await Eventually.ValueAsync(() => kit.StatusAsync(0), s => AnomalyKit.Anomalies(s).Count > 0, "the first machine's anomaly")).Single()!;
        await Eventually.ValueAsync(() => kit.StatusAsync(1), s => AnomalyKit.Anomalies(s).Count > 0, "the second machine's anomaly");

        var feedback = await kit.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{kit.Machines[0]}/anomalies/{marked.Id()}/feedback",
            new { verdict = "false", comment = "a tool change knocks it" }, HttpStatusCode.OK);
        Assert.Equal("false", feedback["feedback"]!.GetValue<string>());
        await kit.Tenant.Operator.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.Machines[0]}/anomalies/{marked.Id()}/feedback",
            new { verdict = "true" }, HttpStatusCode.Conflict, "already marked");

        await kit.VibrationAsync(200, level: 1, noise: 0.05, seed: 7);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var first = AnomalyKit.Context(await kit.LearnedAsync(0, "idle", 502), "idle")!["lastScore"]!.GetValue<double>();
        var second = AnomalyKit.Context(await kit.LearnedAsync(1, "idle", 502), "idle")!["lastScore"]!.GetValue<double>();
        Assert.True(first < second, $"marked false: {first}, unmarked: {second}");
        var discounts = (await kit.StatusAsync(0))["series"]![0]!["discounts"]!;
        Assert.True(discounts[marked["cause"]!.GetValue<string>()]!.GetValue<double>() > 0, discounts.ToJsonString());
    }

    [Fact]
    public async Task What_the_detectors_learned_survives_a_restart_of_the_watcher()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        var watcher = fixture.Host.Service<AnomalyWatcher>();
        await watcher.StopAsync(CancellationToken.None);
        await watcher.StartAsync(CancellationToken.None);
        Assert.Empty((await kit.StatusAsync())["series"]!.AsArray());

        // Restored, not relearned: the count goes on and a spike is recognised at once, without a warm-up.
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var status = await kit.LearnedAsync(0, "idle", 301);
        Assert.Equal(300, AnomalyKit.Learned(status, "running"));
        await Eventually.ValueAsync(() => kit.StatusAsync(), s => AnomalyKit.Anomalies(s).Count > 0, "an anomaly right after the restart");
    }

    [Fact]
    public async Task The_band_shows_what_was_expected_per_minute_around_the_tag_with_its_anomalies_and_survives_a_restart()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        await Eventually.ValueAsync(() => kit.StatusAsync(), s => AnomalyKit.Anomalies(s).Count > 0, "an anomaly while idle");

        // Readings began an hour before the clock's start, one a second: 300 running (about 10 mm/s), 300 idle (about 1).
        var from = DateTimeOffset.FromUnixTimeMilliseconds((fixture.Clock.NowMs / 1000 * 1000) - (2 * 3_600_000)).ToString("O");
        var to = fixture.Clock.GetUtcNow().ToString("O");
        var url = $"/api/v1/machines/{kit.Machines[0]}/anomalies/band?tag=vibration&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}";
        var band = await kit.Tenant.Viewer.GetJsonAsync(url);
        AssertBand(band);

        // Every minute is in the store after a restart (the open one is written at shutdown), and nothing is counted twice.
        var watcher = fixture.Host.Service<AnomalyWatcher>();
        await watcher.StopAsync(CancellationToken.None);
        await watcher.StartAsync(CancellationToken.None);
        var stored = await kit.Tenant.Viewer.GetJsonAsync(url);
        AssertBand(stored);
        Assert.Equal(band["band"]!.ToJsonString(), stored["band"]!.ToJsonString());

        await kit.Tenant.Viewer.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{kit.Machines[0]}/anomalies/band", null, HttpStatusCode.BadRequest, "tag");
        var power = await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{kit.Machines[0]}/anomalies/band?tag=power");
        Assert.Empty(power["band"]!.AsArray());
    }

    private static void AssertBand(JsonNode band)
    {
        var minutes = band["band"]!.AsArray().Select(m => m!).ToList();
        var readings = minutes.Sum(m => m["readings"]!.GetValue<long>());
        // Each context's first Warmup readings are learned without a band; the spike is the 601st reading.
        Assert.Equal(601 - (2 * new Millwright.Learning.DetectorOptions().Warmup), readings);
        Assert.True(minutes.Count is >= 10 and <= 13, $"{minutes.Count} minutes");
        Assert.Equal(minutes.OrderBy(m => m["minute"]!.GetValue<DateTimeOffset>()).Select(m => m.ToJsonString()), minutes.Select(m => m.ToJsonString()));
        var running = minutes.Where(m => m["context"]!.GetValue<string>() == "running").ToList();
        var idle = minutes.Where(m => m["context"]!.GetValue<string>() == "idle").ToList();
        Assert.NotEmpty(running);
        Assert.NotEmpty(idle);
        Assert.All(running, m => Assert.InRange(10.0, m["expectedLow"]!.GetValue<double>(), m["expectedHigh"]!.GetValue<double>()));
        // A minute holding the end of the running readings and the start of the idle ones is the envelope of both.
        Assert.True(idle.Count(m => m["expectedHigh"]!.GetValue<double>() < 5) >= idle.Count - 2, band.ToJsonString());
        Assert.True(idle.Count >= 4, band.ToJsonString());

        var anomaly = band["anomalies"]!.AsArray().Single()!;
        Assert.Equal(10, anomaly["value"]!.GetValue<double>());
        var last = idle[^1];
        Assert.True(last["maxScore"]!.GetValue<double>() >= anomaly["score"]!.GetValue<double>() - 1e-9, last.ToJsonString());
    }

    [Fact]
    public async Task Another_tenant_can_neither_read_the_anomalies_nor_change_the_settings_nor_mark_them()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        await kit.VibrationAsync(1, level: 10, noise: 0, seed: 3);
        var anomaly = AnomalyKit.Anomalies(await Eventually.ValueAsync(() => kit.StatusAsync(), s => AnomalyKit.Anomalies(s).Count > 0, "an anomaly")).Single()!;

        using var stranger = await fixture.Host.CreateTenantAsync();
        await stranger.Admin.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{kit.Machines[0]}/anomalies", null, HttpStatusCode.NotFound, "machine");
        await stranger.Admin.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machines/{kit.Machines[0]}/anomalies/band?tag=vibration", null, HttpStatusCode.NotFound, "machine");
        await stranger.Admin.SendExpectingProblemAsync(HttpMethod.Get, $"/api/v1/machine-types/{kit.Plant.TypeId}/anomaly-settings", null, HttpStatusCode.NotFound, "machine type");
        await stranger.Admin.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/machine-types/{kit.Plant.TypeId}/anomaly-settings",
            new { watched = Array.Empty<object>() }, HttpStatusCode.NotFound, "machine type");
        await stranger.Admin.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{kit.Machines[0]}/anomalies/{anomaly.Id()}/feedback",
            new { verdict = "false" }, HttpStatusCode.NotFound, "anomaly");

        var settings = await kit.Tenant.Viewer.GetJsonAsync($"/api/v1/machine-types/{kit.Plant.TypeId}/anomaly-settings");
        Assert.Equal("vibration", settings["watched"]![0]!["tag"]!.GetValue<string>());
        Assert.Null(AnomalyKit.Anomalies(await kit.StatusAsync()).Single()!["feedback"]);
    }

    [Fact]
    public async Task A_batch_of_more_machines_than_one_transaction_takes_gets_every_machines_series_before_it_is_judged()
    {
        // A fleet's first reports: 250 machines new to the watcher in one batch, read and given their series in
        // chunks of 100, and a machine deleted meanwhile, which is forgotten without failing the others.
        using var kit = await AnomalyKit.CreateAsync(fixture);
        var enrolled = await kit.Tenant.Operator.PostJsonAsync("/api/v1/fleet/equipment", new
        {
            lineId = kit.Plant.LineId, machineTypeId = kit.Plant.TypeId,
            machines = Enumerable.Range(1, 250).Select(i => new { name = $"{kit.Plant.Marker}-f{i}", oemName = "Kestrel", model = "KX-210", serialNumber = $"S{i}" }),
        }, HttpStatusCode.OK);
        var machines = enrolled["machines"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()).ToList();
        Assert.True(machines.Count > 2 * AnomalyWatcher.PrepareChunk);
        var gone = machines[^1];
        await kit.Tenant.Operator.DeleteAsync($"/api/v1/machines/{gone}", HttpStatusCode.NoContent);

        var now = fixture.Clock.GetUtcNow();
        var batch = machines.Select(m => new DeviceMessage(kit.Tenant.Id, m, "test", now,
            [new Reading("vibration", now.ToUnixTimeMilliseconds(), TagValue.Of(1.0)), new Reading("power", now.ToUnixTimeMilliseconds(), TagValue.Of(0.0))])).ToList();
        var watcher = fixture.Host.Service<AnomalyWatcher>();
        await watcher.PrepareAsync(batch, CancellationToken.None);
        foreach (var machine in machines[..^1])
        {
            Assert.Equal("vibration", Assert.Single(watcher.Status(kit.Tenant.Id, machine)).Tag);
        }

        Assert.Empty(watcher.Status(kit.Tenant.Id, gone));

        // Then judged as usual: each machine's detector (no state yet: the "any" context) learns its reading.
        await watcher.OnCommittedAsync(batch, CancellationToken.None);
        await Eventually.TrueAsync(() => machines[..^1].All(m => watcher.Status(kit.Tenant.Id, m).Single().Contexts.Any(c => c.Learned == 1)), "every machine's reading learned");

        // Half a minute on, the known machines' settings are read again (a chunk's types in one query, each type's
        // settings once): a change reaches every machine, and a machine deleted meanwhile is forgotten.
        await kit.Tenant.Admin.PutJsonAsync($"/api/v1/machine-types/{kit.Plant.TypeId}/anomaly-settings",
            new { watched = new[] { new { tag = "power", sensitivity = "high" } } }, HttpStatusCode.OK);
        var goneLater = machines[0];
        await kit.Tenant.Operator.DeleteAsync($"/api/v1/machines/{goneLater}", HttpStatusCode.NoContent);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await watcher.PrepareAsync(batch, CancellationToken.None);
        foreach (var machine in machines[1..^1])
        {
            var status = watcher.Status(kit.Tenant.Id, machine).ToDictionary(s => s.Tag);
            Assert.Equal("high", status["power"].Sensitivity);
            Assert.Equal("not watched", status["vibration"].Sensitivity);
        }

        Assert.Empty(watcher.Status(kit.Tenant.Id, goneLater));
    }

    [Fact]
    public async Task A_level_that_changes_with_the_program_raises_nothing_while_the_same_change_without_one_is_flagged()
    {
        // Two machines run program A at about 10 mm/s; then the first starts program B, whose set-point is 20 mm/s,
        // while the second jumps to 20 mm/s on program A.
        using var kit = await AnomalyKit.CreateAsync(fixture, machines: 2);
        await kit.ProgramAsync("A");
        await TrainAsync(kit, " program A");
        await kit.PhaseAsync(power: 5);
        await kit.ProgramAsync("B", machine: 0);
        await kit.VibrationAsync(100, level: 20, noise: 0.3, seed: 11);

        var changed = await kit.LearnedAsync(0, "running program B", 100);
        Assert.Equal(300, AnomalyKit.Learned(changed, "running program A"));
        Assert.Empty(AnomalyKit.Anomalies(changed));
        var same = await Eventually.ValueAsync(() => kit.StatusAsync(1), s => AnomalyKit.Anomalies(s).Count > 0, "an anomaly on the machine that kept its program");
        var anomaly = AnomalyKit.Anomalies(same).Single()!;
        Assert.Equal(("running program A", 20.0), (anomaly["context"]!.GetValue<string>(), Math.Round(anomaly["value"]!.GetValue<double>())));
        Assert.DoesNotContain("running program B", AnomalyKit.Contexts(same));

        // Back on program A, the first machine is judged against what A taught it: its 20 mm/s is flagged there too.
        await kit.ProgramAsync("A", machine: 0);
        await kit.VibrationAsync(1, level: 20, noise: 0, seed: 12);
        var back = await Eventually.ValueAsync(() => kit.StatusAsync(0), s => AnomalyKit.Anomalies(s).Count > 0, "an anomaly on program A again");
        Assert.Equal("running program A", AnomalyKit.Anomalies(back).Single()!["context"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_programs_baselines_survive_a_restart_of_the_watcher()
    {
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await kit.ProgramAsync("A");
        await TrainAsync(kit, " program A");
        await kit.PhaseAsync(power: 5);
        await kit.ProgramAsync("B");
        await kit.VibrationAsync(300, level: 20, noise: 0.3, seed: 11);
        await kit.LearnedAsync(0, "running program B", 300);

        var watcher = fixture.Host.Service<AnomalyWatcher>();
        await watcher.StopAsync(CancellationToken.None);
        await watcher.StartAsync(CancellationToken.None);

        // Restored, not relearned: the program comes from the latest stored value, and B's count goes on.
        await kit.VibrationAsync(1, level: 20, noise: 0, seed: 13);
        var status = await kit.LearnedAsync(0, "running program B", 301);
        Assert.Equal((300L, 300L), (AnomalyKit.Learned(status, "running program A"), AnomalyKit.Learned(status, "idle program A")));
        Assert.Empty(AnomalyKit.Anomalies(status));
    }

    [Fact]
    public async Task A_machine_that_reports_no_program_keeps_the_plain_contexts_also_after_a_restart()
    {
        // The kit's type names a program tag, but this machine sends only an empty one. Before the fix the watcher
        // took a missing program for a number 0 (a struct's default) and judged every reading in 'running program 0'.
        using var kit = await AnomalyKit.CreateAsync(fixture);
        await TrainAsync(kit);
        await kit.ProgramAsync("");
        var watcher = fixture.Host.Service<AnomalyWatcher>();
        await watcher.StopAsync(CancellationToken.None);
        await watcher.StartAsync(CancellationToken.None);

        await kit.VibrationAsync(1, level: 1, noise: 0, seed: 3);
        var status = await kit.LearnedAsync(0, "idle", 301);
        Assert.Equal(["idle", "running"], AnomalyKit.Contexts(status).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_series_keeps_at_most_its_cap_of_contexts_and_drops_the_least_recently_used()
    {
        var series = new SeriesWatch(1, "vibration");
        for (var i = 0; i < SeriesWatch.MaxContexts; i++)
        {
            series.For($"running program P{i}").LastAt = 1_000 + i;
        }

        series.For("running program P0").LastAt = 2_000; // used again: P1 is now the least recently used
        series.For("running program P8");
        Assert.Equal(SeriesWatch.MaxContexts, series.Contexts.Count);
        Assert.DoesNotContain("running program P1", series.Contexts.Keys);
        Assert.Equal(["running program P1"], series.Evicted);

        // A context that comes back learns again, and its saved detector is no longer to be deleted.
        series.For("running program P1");
        Assert.DoesNotContain("running program P1", series.Evicted);
        Assert.Equal(SeriesWatch.MaxContexts, series.Contexts.Count);
    }

    /// <summary>Waits for the machine's <paramref name="state"/> context after its latest set-up to learn a reading.</summary>
    private static Task<JsonNode> AfterSetUpAsync(AnomalyKit kit, string state) =>
        Eventually.ValueAsync(() => kit.StatusAsync(), s => AnomalyKit.Contexts(s).Any(c => c.StartsWith($"{state} after set-up ", StringComparison.Ordinal)
            && AnomalyKit.Learned(s, c) >= 1), $"the {state} baseline after the set-up");

    /// <summary>300 readings around 10 mm/s while running, then 300 around 1 mm/s while idle.</summary>
    private static async Task TrainAsync(AnomalyKit kit, string program = "")
    {
        await kit.PhaseAsync(power: 5);
        await kit.VibrationAsync(300, level: 10, noise: 0.3, seed: 1);
        for (var i = 0; i < kit.Machines.Count; i++)
        {
            await kit.LearnedAsync(i, "running" + program, 300);
        }

        await kit.PhaseAsync(power: 0);
        await kit.VibrationAsync(300, level: 1, noise: 0.05, seed: 2);
        for (var i = 0; i < kit.Machines.Count; i++)
        {
            await kit.LearnedAsync(i, "idle" + program, 300);
        }
    }

    private static async Task<JsonNode> WaitForAlarmAsync(AnomalyKit kit, Func<JsonNode, bool> match, string because)
    {
        var alarms = await Eventually.ValueAsync(() => kit.Tenant.Viewer.ListAsync("/api/v1/alarms?state=all"), all => all.Any(a => match(a!)), $"an alarm {because}");
        return alarms.First(a => match(a!))!;
    }

    public sealed class OnSqlite(ClockedSqliteHost host) : AnomalyLoopTests(host), IClassFixture<ClockedSqliteHost>;

    public sealed class OnPostgres(ClockedPostgresHost host) : AnomalyLoopTests(host), IClassFixture<ClockedPostgresHost>;
}
