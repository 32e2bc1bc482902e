using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Millwright.Features.States;
using Millwright.Testing;
using Millwright.Tests.Alarms;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Anomalies;

/// <summary>
/// A tenant whose machine type reports power and vibration; state rules make it running above 1 kW, in set-up at
/// 0.5 kW, idle otherwise. Readings carry device timestamps one second apart from an hour before the start, so
/// every run of the detectors sees the same series, while the clock (receive time, which decides the state) is
/// moved by hand past the watcher's settle time after each state change.
/// </summary>
internal sealed class AnomalyKit : IDisposable
{
    private readonly ClockedHost _fixture;
    private readonly List<HttpClient> _devices = [];
    private readonly long _start;
    private long _next;

    private AnomalyKit(ClockedHost fixture, TestTenant tenant, Plant plant)
    {
        _fixture = fixture;
        Tenant = tenant;
        Plant = plant;
        _start = fixture.Clock.NowMs / 1000 * 1000 - 3_600_000;
    }

    public TestTenant Tenant { get; }

    public Plant Plant { get; }

    public List<long> Machines { get; } = [];

    public static async Task<AnomalyKit> CreateAsync(ClockedHost fixture, int machines = 1)
    {
        var tenant = await fixture.Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(tenant);
        var kit = new AnomalyKit(fixture, tenant, plant);
        await tenant.Operator.PutJsonAsync($"/api/v1/machine-types/{plant.TypeId}", new
        {
            name = $"{plant.Marker} type",
            tags = new object[]
            {
                new { name = "power", unit = "kW", dataType = "float", min = 0, max = 500 },
                new { name = "vibration", unit = "mm/s", dataType = "float" },
                new { name = "program", dataType = "string" },
            },
        }, HttpStatusCode.OK);
        await tenant.Operator.PutJsonAsync($"/api/v1/machine-types/{plant.TypeId}/state-rules", new
        {
            rules = new object[] { new { state = "setup", when = "power > 0.4 and power < 0.6" }, new { state = "running", when = "power > 1" } },
            programTag = "program",
        }, HttpStatusCode.OK);
        await tenant.Admin.PutJsonAsync($"/api/v1/machine-types/{plant.TypeId}/anomaly-settings",
            new { watched = new[] { new { tag = "vibration", sensitivity = "medium" } } }, HttpStatusCode.OK);
        kit.Add(plant.MachineId, plant.Username, plant.Secret);
        for (var i = 1; i < machines; i++)
        {
            var machine = await tenant.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-twin{i}" }, HttpStatusCode.Created);
            var credential = await tenant.Operator.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
            kit.Add(machine.Id(), credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
        }

        return kit;
    }

    /// <summary>Every machine reports <paramref name="power"/> now (a state change), then the clock moves past the settle time.</summary>
    public async Task PhaseAsync(double power)
    {
        foreach (var device in _devices)
        {
            await PostAsync(device, new { values = new { power } });
        }

        // The clock moves only once the tracker holds the new state: a jump while it still works through older
        // messages would let its offline sweep see a silence that never was.
        var expected = power > 1 ? "running" : power is > 0.4 and < 0.6 ? "setup" : "idle";
        var tracker = _fixture.Host.Service<StateTracker>();
        await Eventually.TrueAsync(() => Machines.All(m => tracker.CurrentOf(Tenant.Id, m)?.State == expected), $"every machine {expected}");
        _fixture.Clock.Advance(TimeSpan.FromSeconds(40));
    }

    /// <summary>The machine (every machine when null) reports that it runs <paramref name="program"/> now, in a message of its own.</summary>
    public async Task ProgramAsync(string program, int? machine = null)
    {
        foreach (var device in machine is { } one ? [_devices[one]] : _devices)
        {
            await PostAsync(device, new { ts = _start + (_next++ * 1000), values = new { program } });
        }
    }

    /// <summary>Every machine reports the same <paramref name="count"/> vibration readings around <paramref name="level"/>, in one message.</summary>
    public async Task VibrationAsync(int count, double level, double noise, int seed)
    {
        var random = new Random(seed);
        var samples = new List<object>();
        for (var i = 0; i < count; i++)
        {
            samples.Add(new { ts = _start + (_next++ * 1000), values = new { vibration = level + ((random.NextDouble() - 0.5) * 2 * noise) } });
        }

        foreach (var device in _devices)
        {
            await PostAsync(device, samples);
        }
    }

    /// <summary>Waits until the machine's detector for <paramref name="context"/> has learned <paramref name="learned"/> readings.</summary>
    public Task<JsonNode> LearnedAsync(int machine, string context, long learned) =>
        Eventually.ValueAsync(() => StatusAsync(machine), s => Learned(s, context) >= learned, $"the {context} detector to learn {learned} readings");

    public Task<JsonNode> StatusAsync(int machine = 0) => Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{Machines[machine]}/anomalies");

    public static long Learned(JsonNode status, string context) =>
        Context(status, context)?["learned"]!.GetValue<long>() ?? 0;

    public static JsonNode? Context(JsonNode status, string context) =>
        status["series"]!.AsArray().SelectMany(s => s!["contexts"]!.AsArray()).FirstOrDefault(c => c!["context"]!.GetValue<string>() == context);

    /// <summary>The names of the machine's contexts (of its one watched series).</summary>
    public static List<string> Contexts(JsonNode status) =>
        [.. status["series"]!.AsArray().SelectMany(s => s!["contexts"]!.AsArray()).Select(c => c!["context"]!.GetValue<string>())];

    public static JsonArray Anomalies(JsonNode status) => status["anomalies"]!.AsArray();

    public void Dispose()
    {
        foreach (var device in _devices)
        {
            device.Dispose();
        }

        Tenant.Dispose();
    }

    private void Add(long machine, string username, string secret)
    {
        var device = _fixture.Host.Client(null);
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));
        _devices.Add(device);
        Machines.Add(machine);
    }

    private static async Task PostAsync(HttpClient device, object body)
    {
        using var response = await device.PostAsync("/api/v1/telemetry", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, "telemetry refused: " + answer);
    }
}
