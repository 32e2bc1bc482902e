using System.Buffers;
using System.Text.Json;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Security;

namespace Millwright.Features.Live;

/// <summary>
/// The server's messages, written as UTF-8 JSON text frames. Times are Unix milliseconds (UTC), as on the
/// telemetry wire; a change's <c>ts</c> is the reading's own timestamp, so a client can tell its age.
/// </summary>
internal static class LiveMessages
{
    /// <summary>Machines per snapshot message at most, so that a large subscription arrives in pieces a browser can take.</summary>
    public const int SnapshotChunk = 64;

    /// <summary>A snapshot message stops taking machines past this size (one machine's tags may still make it larger).</summary>
    public const int SnapshotBytes = 1 << 20;

    public static byte[] Welcome(Caller caller, LiveOptions options) => Write(w =>
    {
        w.WriteStartObject("welcome");
        w.WriteNumber("tenant", caller.Tenant);
        w.WriteString("role", caller.Role.ToWire());
        w.WriteNumber("maxMachines", options.MaxMachinesPerConnection);
        w.WriteNumber("maxMessageBytes", options.MaxMessageBytes);
        w.WriteEndObject();
    });

    public static byte[] Error(string message, LiveSelection? notFound = null) => Write(w =>
    {
        w.WriteString("error", message);
        if (notFound is not null)
        {
            w.WritePropertyName("notFound");
            WriteSelection(w, notFound);
        }
    });

    /// <summary>Machines per positions message at most: 10,000 machines are about 400 KiB of JSON.</summary>
    public const int PositionsChunk = 10_000;

    /// <summary>Tells a positions watcher that moves were dropped (it fell too far behind): read GET /api/v1/fleet/positions again.</summary>
    public static readonly byte[] PositionsLost = Write(w => w.WriteBoolean("positionsLost", true));

    /// <summary>The answer to a subscribe or unsubscribe: what the connection now watches, how many machines that covers, and whether it watches the fleet positions.</summary>
    public static byte[] Subscriptions(LiveSelection selection, int covering, bool positions) => Write(w =>
    {
        w.WritePropertyName("subscriptions");
        WriteSelection(w, selection, positions);
        w.WriteNumber("covering", covering);
    });

    /// <summary>
    /// <c>{"positions": {"ids": [...], "latitude": [...], "longitude": [...], "ts": [...]}}</c>: machines that moved, as
    /// columns like GET /api/v1/fleet/positions (a side a report did not carry is null); at most
    /// <see cref="PositionsChunk"/> of them from <paramref name="from"/> on.
    /// </summary>
    public static byte[] Positions(IReadOnlyList<KeyValuePair<long, MachinePosition>> moved, int from)
    {
        var to = Math.Min(moved.Count, from + PositionsChunk);
        return Write(w =>
        {
            w.WriteStartObject("positions");
            w.WriteStartArray("ids");
            for (var i = from; i < to; i++)
            {
                w.WriteNumberValue(moved[i].Key);
            }

            w.WriteEndArray();
            WriteColumn(w, "latitude", moved, from, to, p => p.Latitude);
            WriteColumn(w, "longitude", moved, from, to, p => p.Longitude);
            w.WriteStartArray("ts");
            for (var i = from; i < to; i++)
            {
                w.WriteNumberValue(moved[i].Value.Timestamp);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void WriteColumn(Utf8JsonWriter w, string name, IReadOnlyList<KeyValuePair<long, MachinePosition>> moved, int from, int to, Func<MachinePosition, double?> field)
    {
        w.WriteStartArray(name);
        for (var i = from; i < to; i++)
        {
            if (field(moved[i].Value) is { } value)
            {
                w.WriteNumberValue(value);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// A snapshot of the machines from <paramref name="from"/> on: at most <see cref="SnapshotChunk"/> of them,
    /// and no more once the message passes <see cref="SnapshotBytes"/> (at least one machine, however large).
    /// </summary>
    /// <returns>The message and how many machines it holds.</returns>
    public static (byte[] Json, int Count) Snapshot(long[] machines, int from, LatestValues latest, MachineConnectivity links, StateTracker? states, long tenant)
    {
        var count = 0;
        var json = Write(w =>
        {
            w.WriteStartArray("snapshot");
            for (var i = from; i < machines.Length && count < SnapshotChunk && (count == 0 || w.BytesCommitted + w.BytesPending < SnapshotBytes); i++)
            {
                WriteMachine(w, machines[i], latest, links, states, tenant);
                count++;
            }

            w.WriteEndArray();
        });
        return (json, count);
    }

    private static void WriteMachine(Utf8JsonWriter w, long machine, LatestValues latest, MachineConnectivity links, StateTracker? states, long tenant)
    {
        w.WriteStartObject();
        w.WriteNumber("machine", machine);
        if (links.Of(tenant, machine) is { } link)
        {
            w.WriteStartObject("link");
            w.WriteBoolean("online", link.Online);
            w.WriteNumber("since", link.Since.ToUnixTimeMilliseconds());
            w.WriteString("source", link.Source);
            if (link.Detail is not null)
            {
                w.WriteString("detail", link.Detail);
            }

            w.WriteEndObject();
        }

        if (states?.CurrentOf(tenant, machine) is { } state)
        {
            w.WritePropertyName("state");
            LiveEventMessages.WriteState(w, state);
        }

        w.WriteStartObject("values");
        foreach (var reading in latest.Of(tenant, machine))
        {
            w.WriteStartObject(reading.Tag);
            reading.Value.WriteTo(w, "value");
            w.WriteNumber("ts", reading.Timestamp);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>{"machine": id, "ts": ms, "values": {"tag": value}}</c>: the tags of one machine that changed at one time.</summary>
    public static byte[] Change(long machine, long ts, IEnumerable<Reading> readings) => Write(w =>
    {
        w.WriteNumber("machine", machine);
        w.WriteNumber("ts", ts);
        w.WriteStartObject("values");
        foreach (var reading in readings)
        {
            reading.Value.WriteTo(w, reading.Tag);
        }

        w.WriteEndObject();
    });

    private static void WriteSelection(Utf8JsonWriter w, LiveSelection selection, bool? positions = null)
    {
        w.WriteStartObject();
        WriteIds(w, "machines", selection.Machines);
        WriteIds(w, "lines", selection.Lines);
        WriteIds(w, "sites", selection.Sites);
        if (positions is { } watched)
        {
            w.WriteBoolean("positions", watched);
        }

        w.WriteEndObject();
    }

    private static void WriteIds(Utf8JsonWriter w, string name, IReadOnlyList<long> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids)
        {
            w.WriteNumberValue(id);
        }

        w.WriteEndArray();
    }

    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
