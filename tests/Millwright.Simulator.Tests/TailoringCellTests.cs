using System.Globalization;
using System.Text;
using Millwright.Fuzzing;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Tests;

/// <summary>
/// The tailoring cell (docs/made-to-measure.md, "Order to machine"): the garment reference of a job command, the
/// marker a cutter reads (checked against its DXF, fuzzed: it comes over the network), and the cutter's and sewing
/// station's time and counters on a stepped clock.
/// </summary>
public sealed class TailoringCellTests
{
    private static readonly TimeSpan NoBreakdowns = TimeSpan.FromDays(36_500);
    private static readonly string Sha = new('a', 64);
    private static readonly string MarkerSha = new('b', 64);

    private static string Command(string url = "/api/v1/c2m/files/") =>
        "{\"type\":\"job\",\"commandId\":\"j9-1\",\"jobId\":9,\"quantity\":1,\"unitSeconds\":60,\"customization\":{\"tailoring\":{\"garment\":\"jacket\","
        + "\"size\":\"104-176\",\"pieces\":3,\"cutLengthMm\":3000.5,\"seamLengthMm\":1200,"
        + "\"dxf\":{\"sha256\":\"" + Sha + "\",\"url\":\"" + url + Sha + "\",\"bytes\":900},"
        + "\"marker\":{\"sha256\":\"" + MarkerSha + "\",\"url\":\"/api/v1/c2m/files/" + MarkerSha + "\",\"bytes\":300}}}}";

    private static byte[] Marker(params double[] lengths) => Encoding.UTF8.GetBytes(
        """{"format":"millwright-marker/1","garment":"jacket","widthMm":1500,"lengthMm":1200,"pieces":["""
        + string.Join(',', lengths.Select((l, i) => "{\"piece\":\"p" + i.ToString(CultureInfo.InvariantCulture) + "\",\"cutLengthMm\":" + l.ToString(CultureInfo.InvariantCulture) + "}"))
        + "]}");

    private static byte[] Dxf(int inserts) =>
        Encoding.UTF8.GetBytes("0\nSECTION\n2\nENTITIES\n" + string.Concat(Enumerable.Repeat("0\nINSERT\n8\n1\n2\nP\n", inserts)) + "0\nENDSEC\n0\nEOF\n");

    [Fact]
    public void A_job_command_naming_a_garment_carries_its_lengths_and_both_files()
    {
        var command = JobCommandParser.Parse(Encoding.UTF8.GetBytes(Command()));

        Assert.Equal(JobCommandKind.Job, command.Kind);
        Assert.Equal(new GarmentReference("jacket", 3, 3000.5, 1200, new PlatformFile(Sha, "/api/v1/c2m/files/" + Sha, 900),
            new PlatformFile(MarkerSha, "/api/v1/c2m/files/" + MarkerSha, 300)), command.Garment);
    }

    [Fact]
    public void A_garment_file_at_an_absolute_url_is_rejected_naming_the_field()
    {
        var command = JobCommandParser.Parse(Encoding.UTF8.GetBytes(Command("https://elsewhere.example/")));

        Assert.Equal(JobCommandKind.InvalidJob, command.Kind);
        Assert.StartsWith("customization.tailoring.dxf.url:", command.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_marker_is_read_in_cutting_order_and_refused_when_its_dxf_places_another_number_of_pieces()
    {
        var plan = MarkerReader.Read(Marker(1000, 500.5, 250), Dxf(3));
        Assert.Equal(["p0", "p1", "p2"], plan.Pieces.Select(p => p.Name));
        Assert.Equal(1750.5, plan.TotalMm, 6);

        var wrong = Assert.Throws<MarkerFormatException>(() => MarkerReader.Read(Marker(1000, 500.5, 250), Dxf(2)));
        Assert.Contains("places 2 pieces", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<MarkerFormatException>(() => MarkerReader.Parse(Encoding.UTF8.GetBytes("""{"format":"other"}""")));
        Assert.Throws<MarkerFormatException>(() => MarkerReader.Parse(Marker(1000, -1)));
    }

    [Fact]
    public void Mutated_markers_read_or_fail_with_a_marker_format_exception()
    {
        // The same seeds and engine as `bench/Millwright.Fuzz -- c2m-marker`; Check throws on anything but a proper refusal.
        var engine = MarkerFuzzing.Engine(20261206);
        var read = 0;
        for (var i = 0; i < 20_000; i++)
        {
            if (MarkerFuzzing.Check(engine.Next().Input) is not null)
            {
                read++;
            }
        }

        Assert.True(read > 100, $"only {read} mutated markers were still markers: the mutations never reached the fields");
    }

    [Fact]
    public void A_cutter_runs_the_markers_cut_line_at_its_knife_speed_and_counts_every_piece()
    {
        var clock = new ManualClock();
        var cutter = (CuttingMachine)MachineFactory.Create(MachineKind.Cutter, "cut", 3, clock);
        cutter.Pace = new TailoringPace { KnifeMmPerSecond = 100 };
        Assert.True(cutter.TakeJobs(NoBreakdowns));
        var plan = MarkerReader.Read(Marker(1000, 500, 500), Dxf(3));
        var job = JobCommandParser.Parse(Encoding.UTF8.GetBytes(Command())) with { Cut = plan };

        cutter.Handle(job);
        var seconds = 0;
        while (cutter.State != MachineState.Idle && seconds < 100)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            cutter.Tick();
            seconds++;
            if (seconds == 12)
            {
                // 1,200 mm in: the first piece is cut, the second not yet.
                Assert.Equal(1L, cutter.Snapshot()["pieces_cut"]);
            }
        }

        // 2,000 mm at 100 mm/s: 20 s (a scrapped garment is cut again).
        var garments = (long)cutter.Snapshot()["garment_count"];
        Assert.InRange(seconds, 20 * garments, (20 * garments) + 1);
        Assert.Equal(3 * garments, (long)cutter.Snapshot()["pieces_cut"]);
        Assert.InRange((double)cutter.Snapshot()["cut_length"], (2.0 * garments) - 0.0015, 2.0 * garments);
    }

    [Fact]
    public void A_sewing_station_takes_the_seams_at_its_pace_plus_handling_per_piece()
    {
        var clock = new ManualClock();
        var station = (SewingStation)MachineFactory.Create(MachineKind.Sewing, "sew", 5, clock);
        station.Pace = new TailoringPace { SewingMmPerSecond = 40, HandlingSecondsPerPiece = 10 };
        Assert.True(station.TakeJobs(NoBreakdowns));

        station.Handle(JobCommandParser.Parse(Encoding.UTF8.GetBytes(Command())));
        var seconds = 0;
        while (station.State != MachineState.Idle && seconds < 1000)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            station.Tick();
            seconds++;
        }

        // 1,200 mm at 40 mm/s and 3 pieces at 10 s: 60 s a garment.
        var garments = (long)station.Snapshot()["garment_count"];
        Assert.InRange(seconds, 60 * garments, (60 * garments) + 1);
        Assert.InRange((double)station.Snapshot()["seam_length"], (1.2 * garments) - 0.0015, 1.2 * garments);
    }
}
