using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Millwright.Bench;

/// <summary>
/// A machine for the ingest benchmark, with values shaped like real telemetry rather than noise: gauges that
/// wander and are rounded to the sensor's resolution, counters that grow, an alarm code that is mostly zero,
/// a running flag. Tag t has the t % 5-th of these shapes.
/// </summary>
internal sealed class BenchMachine(int seed, int tags, long startMs, bool stampSent = false)
{
    /// <summary>With --live: each sample carries the wall-clock send time, so a watcher can time its delivery.</summary>
    public const string SentTag = "sent_at";

    private readonly Random _random = new(seed);
    private readonly double[] _values = new double[tags];
    private long _time = startMs;

    public static string Definition(int tag) => (tag % 5) switch
    {
        0 => $"name: {Name(tag)}, unit: kW, dataType: float, min: 0, max: 1000",
        1 => $"name: {Name(tag)}, unit: kWh, dataType: float, kind: counter",
        2 => $"name: {Name(tag)}, unit: parts, dataType: int, kind: counter",
        3 => $"name: {Name(tag)}, dataType: int, min: 0, max: 99999",
        _ => $"name: {Name(tag)}, unit: °C, dataType: float, min: -50, max: 500",
    };

    public static string Name(int tag) => string.Create(CultureInfo.InvariantCulture, $"t{tag:D3}");

    /// <summary>Writes one message: an array of <paramref name="samples"/> samples, a second apart.</summary>
    public void Write(IBufferWriter<byte> output, int samples)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        for (var s = 0; s < samples; s++)
        {
            json.WriteStartObject();
            json.WriteNumber("ts", _time);
            json.WritePropertyName("values");
            json.WriteStartObject();
            for (var t = 0; t < _values.Length; t++)
            {
                json.WriteNumber(Name(t), Next(t));
            }

            if (stampSent)
            {
                json.WriteNumber(SentTag, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }

            json.WriteEndObject();
            json.WriteEndObject();
            _time += 1000;
        }

        json.WriteEndArray();
    }

    private double Next(int tag)
    {
        ref var value = ref _values[tag];
        switch (tag % 5)
        {
            case 0:
                value = Math.Round(Math.Clamp(value + ((_random.NextDouble() - 0.5) * 2), 0, 1000), 2);
                break;
            case 1:
                value = Math.Round(value + (_random.NextDouble() * 0.01), 3);
                break;
            case 2:
                value += _random.Next(20) == 0 ? 1 : 0;
                break;
            case 3:
                value = _random.Next(3600) == 0 ? (value == 0 ? 1010 : 0) : value;
                break;
            default:
                value = Math.Round(Math.Clamp(value + ((_random.NextDouble() - 0.5) * 0.4), -50, 500), 1);
                break;
        }

        return value;
    }
}
