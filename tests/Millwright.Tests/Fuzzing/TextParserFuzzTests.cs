using System.Text;
using Millwright.Api;
using Millwright.Features.PlantFiles;
using Millwright.Features.Telemetry;
using Millwright.Fuzzing;
using Millwright.Hosting;
using Millwright.Security;

namespace Millwright.Tests.Fuzzing;

/// <summary>
/// The two parsers of untrusted text in the host: the telemetry wire format (every device's payload) and
/// plant files. Mutated valid inputs may only parse or fail with the parser's own exception.
/// </summary>
public sealed class TextParserFuzzTests
{
    private static readonly byte[][] TelemetrySeeds =
    [
        """{"ts": 1763790000000, "values": {"spindle_speed": 12000.5, "program": "O1234", "running": true, "alarm_code": 0}}"""u8.ToArray(),
        """[{"values": {"a": 1}}, {"ts": "2026-11-22T05:00:00Z", "values": {"b.c": -2e-3, "d-e": false}}]"""u8.ToArray(),
        """{"values": {"x": "\u00e9t\u00e9 \ud83d\ude00"}, "ts": 0}"""u8.ToArray(),
    ];

    [Fact]
    public void Mutated_telemetry_payloads_only_parse_or_fail_with_a_format_error()
    {
        var engine = new MutationEngine(TelemetrySeeds, randomSeed: 20261122, fields: []);
        for (var i = 0; i < 200_000; i++)
        {
            var (_, input) = engine.Next();
            try
            {
                var readings = TelemetryJson.Parse(input, receivedAt: 1);
                Assert.InRange(readings.Count, 1, TelemetryJson.MaxReadings);
            }
            catch (TelemetryFormatException)
            {
                // The one refusal the parser may give.
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x76, 0x61, 0x6C, 0x75, 0x65, 0x73, 0x22, 0x3A, 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D, 0x7D })] // invalid UTF-8 in a tag name
    [InlineData(new byte[] { 0x5B, 0x5B, 0x5B, 0x5B, 0x5B, 0x5D, 0x5D, 0x5D, 0x5D, 0x5D })] // nesting beyond MaxDepth
    public void Inputs_that_once_needed_care_are_refused_cleanly(byte[] input) =>
        Assert.Throws<TelemetryFormatException>(() => TelemetryJson.Parse(input, 1));

    [Fact]
    public void Plant_files_that_once_broke_the_YAML_scanner_fail_with_a_plant_file_error()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Regressions"), "*.yaml"))
        {
            using var text = File.OpenText(file);
            Assert.Throws<PlantFileException>(() => PlantImporter.Parse(Path.GetFileName(file), text));
        }
    }

    [Fact]
    public async Task Mutated_plant_files_only_import_or_fail_with_a_position()
    {
        // The whole import runs, against a real store, and is rolled back each time.
        var directory = Directory.CreateTempSubdirectory("mw-fuzz-").FullName;
        try
        {
            await using var database = await new StoreOptions(directory, null).OpenAsync();
            var example = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "plant.yaml"));
            var engine = new MutationEngine([example], randomSeed: 7, fields: []);
            for (var i = 0; i < 1_500; i++)
            {
                var (_, input) = engine.Next();
                try
                {
                    var plant = PlantImporter.Parse("fuzz.yaml", new StringReader(Encoding.UTF8.GetString(input)));
                    await using var session = await Session.BeginAsync(database, Caller.CommandLine(null), TimeProvider.System);
                    await PlantImporter.ImportAsync(session, plant);
                }
                catch (PlantFileException e)
                {
                    Assert.True(e.Line >= 0 && e.Column >= 0, e.Message);
                }
                catch (Exception e)
                {
                    Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{Convert.ToBase64String(input)}");
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
