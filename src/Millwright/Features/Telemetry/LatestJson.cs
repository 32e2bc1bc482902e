using Millwright.Messages;
using System.Text.Json;

namespace Millwright.Features.Telemetry;

/// <summary>
/// Writes machines' latest values straight from the twin to the response, in the shape of
/// <see cref="MachineLatestDto"/>: a site of 1,000 machines is 20,000 values, and building DTOs with boxed values
/// for the serializer cost more than the rest of the request together.
/// </summary>
internal sealed class LatestJson(long tenant, IReadOnlyList<(long Id, string Name)> machines, LatestValues latest, MachineConnectivity connectivity) : IResult
{
    // Flushing every few machines keeps the buffered part of a large answer small.
    private const int MachinesPerFlush = 64;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using var w = new Utf8JsonWriter(response.BodyWriter);
        w.WriteStartObject();
        w.WriteStartArray("items");
        for (var i = 0; i < machines.Count; i++)
        {
            WriteMachine(w, machines[i].Id, machines[i].Name);
            if (i % MachinesPerFlush == MachinesPerFlush - 1)
            {
                await w.FlushAsync(httpContext.RequestAborted);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(httpContext.RequestAborted);
    }

    private void WriteMachine(Utf8JsonWriter w, long id, string name)
    {
        w.WriteStartObject();
        w.WriteNumber("machineId", id);
        w.WriteString("name", name);
        if (connectivity.Of(tenant, id) is { } link)
        {
            w.WriteStartObject("connection");
            w.WriteBoolean("online", link.Online);
            w.WriteString("since", link.Since);
            w.WriteString("source", link.Source);
            w.WriteString("detail", link.Detail);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("connection");
        }

        w.WriteStartArray("values");
        foreach (var reading in latest.Of(tenant, id))
        {
            w.WriteStartObject();
            w.WriteString("tag", reading.Tag);
            w.WriteString("ts", DateTimeOffset.FromUnixTimeMilliseconds(reading.Timestamp));
            reading.Value.WriteTo(w, "value");

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
