using System.Text.Json;
using Millwright.Messages;

namespace Millwright.Features.Telemetry;

/// <summary>
/// The twin of many machines in few bytes (<c>GET /api/v1/latest?format=compact</c>), for screens that poll a whole
/// site: each tag name once, in <c>tags</c>, and per machine parallel arrays of tag index, time (Unix ms) and value;
/// <c>ts</c> is one number when all of the machine's values share their time, as they do when one message carried them. With
/// <c>since</c> (the <c>version</c> of an earlier answer) only machines whose values or link changed after it are
/// listed, so a screen polling a quiet site gets an almost empty answer.
/// </summary>
/// <example>
/// <code>{"version":812,"machines":[{"id":7,"name":"cnc-1","online":true,"tags":[0,1],"ts":1733500000000,"values":[12.5,"AUTO"]}],"tags":["power","mode"]}</code>
/// </example>
internal sealed class LatestCompactJson(long tenant, IReadOnlyList<(long Id, string Name)> machines, long since, LatestValues latest, MachineConnectivity connectivity) : IResult
{
    private const int MachinesPerFlush = 256;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        // Read before any machine is looked at: a change after this is in the next answer (TwinVersion's remarks).
        var version = TwinVersion.Now;

        // A version this process never gave (another node's, or one from a clock set back): the whole set.
        var after = since > version ? -1 : since;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var tags = new Dictionary<string, int>(StringComparer.Ordinal);
        var tagNames = new List<string>();
        var readings = new List<Reading>();
        await using var w = new Utf8JsonWriter(response.BodyWriter);
        w.WriteStartObject();
        w.WriteNumber("version", version);
        w.WriteStartArray("machines");
        var written = 0;
        foreach (var (id, name) in machines)
        {
            readings.Clear();
            var valuesChanged = latest.CopyIfChanged(tenant, id, after, readings);
            var (link, linkChanged) = connectivity.Versioned(tenant, id);
            if (Math.Max(valuesChanged, linkChanged) <= after)
            {
                continue;
            }

            if (readings.Count == 0 && valuesChanged > 0)
            {
                // Only the link changed: its values are sent too, so that an entry always carries the whole twin.
                latest.CopyIfChanged(tenant, id, -1, readings);
            }

            WriteMachine(w, id, name, link, readings, tags, tagNames);
            if (++written % MachinesPerFlush == 0)
            {
                await w.FlushAsync(httpContext.RequestAborted);
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("tags");
        foreach (var tag in tagNames)
        {
            w.WriteStringValue(tag);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(httpContext.RequestAborted);
    }

    private static void WriteMachine(Utf8JsonWriter w, long id, string name, ConnectionState? link, List<Reading> readings, Dictionary<string, int> tags, List<string> tagNames)
    {
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("name", name);
        if (link is null)
        {
            w.WriteNull("online");
        }
        else
        {
            w.WriteBoolean("online", link.Online);
        }

        w.WriteStartArray("tags");
        foreach (var reading in readings)
        {
            if (!tags.TryGetValue(reading.Tag, out var index))
            {
                index = tagNames.Count;
                tags[reading.Tag] = index;
                tagNames.Add(reading.Tag);
            }

            w.WriteNumberValue(index);
        }

        w.WriteEndArray();
        if (readings.Count > 0 && readings.TrueForAll(r => r.Timestamp == readings[0].Timestamp))
        {
            // One message usually carries all of a machine's tags: their time once.
            w.WriteNumber("ts", readings[0].Timestamp);
        }
        else
        {
            w.WriteStartArray("ts");
            foreach (var reading in readings)
            {
                w.WriteNumberValue(reading.Timestamp);
            }

            w.WriteEndArray();
        }

        w.WriteStartArray("values");
        foreach (var reading in readings)
        {
            reading.Value.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
