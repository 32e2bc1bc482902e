using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millwright.Benchmarks -- --filter '*Mqtt*' [--job short]
// dotnet run -c Release --project bench/Millwright.Benchmarks -- chunk-sizes
// dotnet run -c Release --project bench/Millwright.Benchmarks -- chunk-fuzz [cases] [seed]
switch (args)
{
    case ["chunk-sizes"]:
        Millwright.Benchmarks.ChunkSizes.Print();
        return 0;
    case ["chunk-fuzz", ..]:
        return Millwright.Benchmarks.ChunkFuzz.Run(args);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Millwright.Benchmarks.MqttCodecBenchmarks).Assembly).Run(args);
        return 0;
}
