using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Millwright.Benchmarks -- --filter '*Mqtt*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Millwright.Benchmarks.MqttCodecBenchmarks).Assembly).Run(args);
