using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millwright.Benchmarks -- --filter '*Mqtt*' [--job short]
// dotnet run -c Release --project bench/Millwright.Benchmarks -- tsstore sqlite|<npgsql connection string> [series] [seconds] [batch] [checkpointEvery]
if (args.Length > 0 && args[0] == "tsstore")
{
    return await Millwright.Benchmarks.TimeSeriesIngestMeasurement.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Millwright.Benchmarks.MqttCodecBenchmarks).Assembly).Run(args);
return 0;
