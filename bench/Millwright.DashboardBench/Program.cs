using System.Globalization;
using Millwright.DashboardBench;

// dotnet run -c Release --project bench/Millwright.DashboardBench -- [--machines 1000] [--seconds 30] [--warmup 10] [--width 1920 --height 1080]
// dotnet run -c Release --project bench/Millwright.DashboardBench -- fleet-map [--machines 10000] [--seconds 10] (seconds of panning per zoom level)
// dotnet run -c Release --project bench/Millwright.DashboardBench -- fleet-live [--machines 100000] [--report 30] [--seconds 60] [--pan 1] (live update lag; --pan 1 drags the map meanwhile)
// The platform (SQLite, in this process), N machines publishing QoS 1 telemetry at 1 Hz over MQTT, and the
// dashboard's big screen in headless Chromium (/usr/bin/chromium) watching them all. Prints the figures.
var fleetMap = args.Length > 0 && args[0] == "fleet-map";
var fleetLive = args.Length > 0 && args[0] == "fleet-live";
args = fleetMap || fleetLive ? args[1..] : args;
var machines = fleetMap ? 10_000 : fleetLive ? 100_000 : 1000;
var seconds = fleetMap ? 10 : fleetLive ? 60 : 30;
var report = 30;
var warmup = 10;
var pan = 0;
var width = 1920;
var height = 1080;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--machines": machines = value; break;
        case "--seconds": seconds = value; break;
        case "--warmup": warmup = value; break;
        case "--report": report = value; break;
        case "--width": width = value; break;
        case "--height": height = value; break;
        case "--pan": pan = value; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 1;
    }
}

if (fleetLive)
{
    if (machines is < 1 or > 200_000 || seconds is < 5 or > 3600 || report is < 1 or > 3600)
    {
        Console.Error.WriteLine("fleet-live: --machines 1..200000, --report 1..3600 (seconds between a machine's reports), --seconds 5..3600");
        return 1;
    }

    using var stopLive = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopLive.Cancel(); };
    Console.WriteLine(await FleetLiveLoad.RunAsync(machines, TimeSpan.FromSeconds(report), TimeSpan.FromSeconds(seconds), (width, height), pan != 0, Console.Error.WriteLine, stopLive.Token));
    return 0;
}

if (fleetMap)
{
    if (machines is < 1 or > 200_000 || seconds is < 1 or > 600)
    {
        Console.Error.WriteLine("fleet-map: --machines 1..200000, --seconds 1..600 (per zoom level)");
        return 1;
    }

    using var stopMap = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopMap.Cancel(); };
    Console.WriteLine(await FleetMapLoad.RunAsync(machines, TimeSpan.FromSeconds(seconds), (width, height), Console.Error.WriteLine, stopMap.Token));
    return 0;
}

if (machines is < 1 or > 10_000 || seconds is < 5 or > 3600 || warmup is < 0 or > 600 || width is < 320 or > 7680 || height is < 240 or > 4320)
{
    Console.Error.WriteLine("--machines 1..10000, --seconds 5..3600, --warmup 0..600, --width 320..7680, --height 240..4320");
    return 1;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
Console.WriteLine(await DashboardLoad.RunAsync(machines, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmup), (width, height), Console.Error.WriteLine, cancel.Token));
return 0;
