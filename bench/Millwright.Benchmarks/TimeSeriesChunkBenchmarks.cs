using BenchmarkDotNet.Attributes;
using Millwright.Storage.TimeSeries;

namespace Millwright.Benchmarks;

/// <summary>
/// Encoding and decoding one hour of one series (3,600 points); the figures are per point. A chart of a day
/// decodes 24 such chunks per series.
/// </summary>
// The shared development machine is rarely idle: the minimum shows the code, the mean also the neighbours.
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class TimeSeriesChunkBenchmarks
{
    private readonly List<long> _times = new(TelemetrySeries.Points);
    private readonly List<double> _values = new(TelemetrySeries.Points);
    private readonly List<string> _texts = new(TelemetrySeries.Points);
    private long[] _timestamps = [];
    private double[] _numbers = [];
    private string[] _program = [];
    private byte[] _chunk = [];

    [Params("spindle_speed", "power", "energy", "part_count", "alarm_code", "program")]
    public string Series { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _timestamps = TelemetrySeries.Timestamps(1);
        if (Series == "program")
        {
            _program = TelemetrySeries.Program();
            _chunk = TimeSeriesChunk.EncodeText(_timestamps, _program);
        }
        else
        {
            _numbers = TelemetrySeries.Numbers(Series, 2);
            _chunk = TimeSeriesChunk.Encode(_timestamps, _numbers);
        }
    }

    [Benchmark(OperationsPerInvoke = TelemetrySeries.Points)]
    public byte[] Encode() =>
        Series == "program" ? TimeSeriesChunk.EncodeText(_timestamps, _program) : TimeSeriesChunk.Encode(_timestamps, _numbers);

    [Benchmark(OperationsPerInvoke = TelemetrySeries.Points)]
    public int Decode()
    {
        _times.Clear();
        if (Series == "program")
        {
            _texts.Clear();
            return TimeSeriesChunk.DecodeText(_chunk, _times, _texts);
        }

        _values.Clear();
        return TimeSeriesChunk.Decode(_chunk, _times, _values);
    }
}
