using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millwright.Benchmarks -- --filter '*Mqtt*' [--job short]
// dotnet run -c Release --project bench/Millwright.Benchmarks -- chunk-sizes
if (args is ["chunk-sizes"])
{
    Millwright.Benchmarks.ChunkSizes.Print();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Millwright.Benchmarks.MqttCodecBenchmarks).Assembly).Run(args);
