using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Millwright.Api;
using Millwright.Cli;
using Millwright.Design;
using Millwright.Features.ApiKeys;
using Millwright.Features.Design;
using Millwright.Features.Tenants;
using Millwright.Hosting;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Bench;

/// <summary>
/// <c>millwright bench collab</c>: many engineers over real WebSockets editing one large design. The host runs in
/// this process on a fresh SQLite store; a seeder builds the structure (assemblies under the root, parts under them);
/// then every editor makes edits at Poisson times (mean <c>--interval</c> s): a quantity (40 %), a name or material
/// (20 %), a parameter's value (12 %: a part's length or width, or an assembly's pitch that parts' formulas read), a
/// part's formula (10 %), a part moved to another assembly (16 %), an assembly moved under another (2 %: concurrent
/// ones can make cycles, which the merge reverts). Parameter edits make the server re-evaluate what depends on them
/// and send the results to everyone. Measured: edit sent → received by every other editor (p50/p99), send → the
/// author's acknowledgement, edits per second; at the end every full replica must equal the server's structure.
/// Most editors are light clients (they stamp and count, keeping no replica); <c>--full</c> keep a whole replica.
/// </summary>
internal static class CollabLoad
{
    public static Command Command()
    {
        var editors = new Option<int>("--editors") { Description = "Engineers connected at once", DefaultValueFactory = _ => 500 };
        var parts = new Option<int>("--parts") { Description = "Parts in the design (one assembly per 100)", DefaultValueFactory = _ => 20_000 };
        var seconds = new Option<int>("--seconds") { Description = "How long they edit", DefaultValueFactory = _ => 30 };
        var interval = new Option<double>("--interval") { Description = "Mean seconds between one editor's edits (Poisson)", DefaultValueFactory = _ => 5 };
        var full = new Option<int>("--full") { Description = "Editors that keep a whole replica and are checked for convergence", DefaultValueFactory = _ => 3 };
        var command = new Command("collab", "Engineers editing one design together over WebSockets: edit seen by all others p50/p99, convergence");
        foreach (var option in new Option[] { editors, parts, seconds, interval, full })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var settings = (Editors: result.GetValue(editors), Parts: result.GetValue(parts), Seconds: result.GetValue(seconds), Interval: result.GetValue(interval), Full: result.GetValue(full));
            if (settings.Editors is < 2 or > 5_000 || settings.Parts is < 1 or > 1_000_000 || settings.Seconds is < 1 or > 3_600 || settings.Interval is not (> 0 and <= 600) || settings.Full < 1 || settings.Full > settings.Editors)
            {
                await Console.Error.WriteLineAsync("millwright: --editors 2..5000, --parts 1..1000000, --seconds 1..3600, --interval (0, 600], --full 1..editors");
                return ExitCodes.Usage;
            }

            await Console.Out.WriteLineAsync(await RunAsync(settings.Editors, settings.Parts, settings.Seconds, settings.Interval, settings.Full, Console.Error.WriteLine, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> RunAsync(int editorCount, int partCount, int seconds, double interval, int fullCount, Action<string> progress, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("mw-bench-collab-").FullName;
        try
        {
            var store = new StoreOptions(directory, null);
            await using var database = await store.OpenAsync(ct);
            await using var app = MillwrightApp.Build(new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store), database);
            await app.StartAsync(ct);
            var server = new Uri(app.Urls.Single());
            var (key, project) = await ProvisionAsync(database, ct);
            var assemblies = Math.Max(1, partCount / 100);

            await using (var seeder = await DesignChannelClient.ConnectAsync(server, project, key, "seeder", light: true, ct: ct))
            {
                await SeedAsync(seeder, assemblies, partCount, progress, ct);
            }

            var latency = new CollabLatency(editorCount - 1);
            var clients = new DesignChannelClient[editorCount];
            var connect = Stopwatch.StartNew();
            for (var i = 0; i < editorCount; i++)
            {
                var client = await DesignChannelClient.ConnectAsync(server, project, key, $"e{i}", light: i >= fullCount, ct: ct);
                var replica = client.Replica;
                client.OnOps = latency.Received;
                client.OnAck = counters => latency.Acked(replica, counters);
                clients[i] = client;
                if ((i + 1) % 100 == 0)
                {
                    progress($"collab: {i + 1}/{editorCount} editors connected ({connect.Elapsed.TotalSeconds:F0} s)");
                }
            }

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
                var reporter = ReportAsync(latency, clock, progress, stop.Token);
                await Task.WhenAll(clients.Select((c, i) => EditAsync(c, i, assemblies, partCount, interval, latency, stop.Token)));
                await reporter;
            }

            var editing = clock.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var sent = latency.Sent;
            var settled = await SettleAsync(clients, latency, ct);
            var converged = settled && await ConvergedAsync(server, key, project, clients.Take(fullCount), ct);
            var (p50, p99, max) = latency.SeenByAll();
            var (a50, a99, _) = latency.Ack();
            var memory = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024);
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await app.StopAsync(CancellationToken.None);
            return string.Create(CultureInfo.InvariantCulture,
                $"""
                editors {editorCount} ({fullCount} full replicas), parts {partCount} in {assemblies} assemblies, {seconds} s, one edit per {interval} s per editor
                edits {sent} ({sent / editing.TotalSeconds:F1}/s), seen by all others: {latency.Done}, never seen by all: {latency.Unseen}
                ack p50 {a50:F1} ms, p99 {a99:F1} ms
                process (server and clients together): CPU {cpu.TotalSeconds:F1} s over {editing.TotalSeconds:F1} s ({cpu.TotalSeconds / editing.TotalSeconds * 100:F0} % of one core), working set {memory:F0} MiB, GC heap {GC.GetTotalMemory(false) / (1024.0 * 1024):F0} MiB
                max {max:F1} ms
                p50 {p50:F1} ms, p99 {p99:F1} ms, converged: {(converged ? "yes" : "no")}
                """);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(string Key, long Project)> ProvisionAsync(IDatabase database, CancellationToken ct)
    {
        var sessions = new Sessions(database, TimeProvider.System);
        return await sessions.RunAsync(Caller.CommandLine(null), async s =>
        {
            var tenant = await Tenants.CreateAsync(s, new TenantInput("collab", "Collab bench"));
            var key = await ApiKeys.CreateAsync(s, tenant.Id, new ApiKeyInput("engineers", Role.Operator.ToWire()));
            var project = await DesignProjects.CreateAsync(s.ActingFor(Caller.CommandLine(tenant.Id)), new ProjectInput("Reactor", "reactors"));
            return (key.Key, project.Id);
        }, ct);
    }

    /// <summary>The formulas a part's area is set to: all of them areas, some reading the pitch of an assembly.</summary>
    private static string AreaFormula(Random random, int assemblies) => random.Next(4) switch
    {
        0 => "= length * width [mm2]",
        1 => "= length * width / 2 [mm2]",
        2 => "= (length + width) * width [mm2]",
        _ => $"= length * a{random.Next(assemblies)}.pitch [mm2]",
    };

    /// <summary>
    /// Assemblies under the root (each with a pitch), parts spread over them (each with a length, a width and an area
    /// computed from them), in messages of at most 480 operations.
    /// </summary>
    private static async Task SeedAsync(DesignChannelClient seeder, int assemblies, int parts, Action<string> progress, CancellationToken ct)
    {
        var batch = new List<Func<Func<OpStamp>, IEnumerable<DesignOp>>>();
        for (var a = 0; a < assemblies; a++)
        {
            var (id, name) = ($"a{a}", $"Assembly {a}");
            batch.Add(stamp => [DesignOp.Move(stamp(), id, DesignTree.Root), DesignOp.Set(stamp(), id, "type", "assembly"), DesignOp.Set(stamp(), id, "name", name), DesignOp.Set(stamp(), id, "param.pitch", "5 mm")]);
        }

        for (var p = 0; p < parts; p++)
        {
            var (id, parent) = ($"p{p}", $"a{p % assemblies}");
            batch.Add(stamp => [DesignOp.Move(stamp(), id, parent), DesignOp.Set(stamp(), id, "type", "part"), DesignOp.Set(stamp(), id, "quantity", "1"),
                DesignOp.Set(stamp(), id, "param.length", "100 mm"), DesignOp.Set(stamp(), id, "param.width", "20 mm"), DesignOp.Set(stamp(), id, "param.area", "= length * width [mm2]")]);
        }

        // Six operations per node at most: 80 nodes a message stays under the channel's 500.
        for (var i = 0; i < batch.Count; i += 80)
        {
            var chunk = batch.Skip(i).Take(80).ToList();
            await seeder.EditAsync(stamp => chunk.SelectMany(make => make(stamp)).ToList());
            if (i / 80 % 50 == 0)
            {
                progress($"collab: seeding {Math.Min(i + 80, batch.Count)}/{batch.Count} nodes");
            }

            // At most a few messages in flight: the seeder waits for its acknowledgements.
            while (seeder.Pending > 2_000)
            {
                await Task.Delay(5, ct);
            }
        }

        while (seeder.Pending > 0)
        {
            await Task.Delay(10, ct);
        }
    }

    private static async Task EditAsync(DesignChannelClient client, int index, int assemblies, int parts, double interval, CollabLatency latency, CancellationToken stop)
    {
        var random = new Random(index + 1);
        try
        {
            while (true)
            {
                // Exponential gaps make each editor a Poisson process with the given mean interval.
                await Task.Delay(TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) * interval), stop);
                var roll = random.NextDouble();
                var part = $"p{random.Next(parts)}";
                var ops = await client.EditAsync(stamp => roll switch
                {
                    < 0.40 => [DesignOp.Set(stamp(), part, "quantity", (1 + random.Next(20)).ToString(CultureInfo.InvariantCulture))],
                    < 0.50 => [DesignOp.Set(stamp(), part, "name", $"Part {part} rev {random.Next(100)}")],
                    < 0.60 => [DesignOp.Set(stamp(), part, "material", random.Next(3) switch { 0 => "steel", 1 => "zircaloy", _ => "inconel" })],
                    < 0.70 => [DesignOp.Set(stamp(), part, random.Next(2) == 0 ? "param.length" : "param.width", $"{10 + random.Next(200)} mm")],
                    < 0.72 => [DesignOp.Set(stamp(), $"a{random.Next(assemblies)}", "param.pitch", $"{1 + random.Next(20)} mm")],
                    < 0.82 => [DesignOp.Set(stamp(), part, "param.area", AreaFormula(random, assemblies))],
                    < 0.98 => [DesignOp.Move(stamp(), part, $"a{random.Next(assemblies)}")],
                    _ => [DesignOp.Move(stamp(), $"a{random.Next(assemblies)}", random.Next(4) == 0 ? DesignTree.Root : $"a{random.Next(assemblies)}")],
                }, send: false);
                latency.Sending(ops);
                await client.FlushAsync(ops);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private static async Task ReportAsync(CollabLatency latency, Stopwatch clock, Action<string> progress, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
                progress($"collab: {clock.Elapsed.TotalSeconds:F0} s, {latency.Sent} edits sent, {latency.Done} seen by all others");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Editing ended.
        }
    }

    /// <summary>
    /// Waits (at most a minute) until every edit is acknowledged, then (at most 10 s more) until every edit reached every
    /// other editor; an edit the server refused (a stale stamp, sent again under a new one) is never seen, and is counted.
    /// </summary>
    private static async Task<bool> SettleAsync(DesignChannelClient[] clients, CollabLatency latency, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (clients.Any(c => c.Pending > 0))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                return false;
            }

            await Task.Delay(50, ct);
        }

        deadline.Restart();
        while (latency.Unseen > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, ct);
        }

        return true;
    }

    /// <summary>Every full replica holds exactly the server's structure (parents and fields of every node).</summary>
    private static async Task<bool> ConvergedAsync(Uri server, string key, long project, IEnumerable<DesignChannelClient> replicas, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var structure = JsonNode.Parse(await http.GetStringAsync($"/api/v1/design/projects/{project}/structure", ct))!;
        var expected = string.Join('\n', structure["nodes"]!.AsArray().Select(n => n!)
            .OrderBy(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(n => $"{n["id"]!.GetValue<string>()}<{n["parent"]!.GetValue<string>()} " +
                string.Join(",", n["fields"]!.AsObject().OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value?.GetValue<string>()}"))));
        return replicas.All(r => r.Read(t => string.Join('\n', t.Parents.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}<{p.Value} " + string.Join(",", t.FieldsOf(p.Key).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))))) == expected);
    }
}
