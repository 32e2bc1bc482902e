using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millwright.Benchmarks -- --filter '*Mqtt*' [--job short]
// dotnet run -c Release --project bench/Millwright.Benchmarks -- chunk-sizes
// dotnet run -c Release --project bench/Millwright.Benchmarks -- tsstore sqlite|<npgsql connection string> [series] [seconds] [batch] [checkpointEvery]
switch (args)
{
    case ["chunk-sizes"]:
        Millwright.Benchmarks.ChunkSizes.Print();
        return 0;
    case ["tsstore", ..]:
        return await Millwright.Benchmarks.TimeSeriesIngestMeasurement.RunAsync(args[1..]);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Millwright.Benchmarks.MqttCodecBenchmarks).Assembly).Run(args);
        return 0;
}
