using System.Text;
using Millwright.Embroidery;
using Millwright.Embroidery.Design;
using Millwright.Embroidery.Digitizing;

namespace Millwright.Fuzzing;

/// <summary>
/// `svg`: designs customers upload (POST /api/v1/embroidery/designs) through the SVG reader, the digitizer and the
/// planner. Every mutated document must digitize or fail with <see cref="DesignException"/>; anything else (an
/// exception from the SVG library, a geometry error) escapes and is a finding. The hoop is small so that a
/// mutation that makes a design huge is refused before it costs a large fill.
/// </summary>
internal sealed class SvgFuzzing : IFuzzTarget
{
    private static readonly (double, double) Hoop = (60, 60);

    public string Name => "svg";

    public string Description => "SVG design reader and digitizer (uploaded embroidery designs)";

    public IFuzzWorker CreateWorker(int seed) => new AcceptOrRefuseWorker(Engine(seed), Check, "read");

    public static IReadOnlyList<byte[]> Seeds() =>
    [
        .. new[]
        {
            """<svg xmlns="http://www.w3.org/2000/svg" width="20mm" height="20mm" viewBox="0 0 20 20"><rect x="1" y="1" width="18" height="18" fill="#c62828"/><circle cx="10" cy="10" r="5" fill="#1f3a93"/></svg>""",
            """<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="20mm" viewBox="0 0 30 20"><path d="M2 2 L28 2 Q29 10 28 18 C20 19 10 19 2 18 A 8 8 0 0 1 2 2 Z M10 6 h10 v8 h-10 z" fill="#2e7d32" fill-rule="evenodd"/></svg>""",
            """<svg xmlns="http://www.w3.org/2000/svg" width="25mm" height="25mm" viewBox="0 0 100 100"><g transform="rotate(30 50 50) scale(0.9)"><ellipse cx="50" cy="50" rx="40" ry="20" fill="none" stroke="#212121" stroke-width="6"/><polyline points="10,90 50,60 90,90" fill="none" stroke="#f9a825" stroke-width="2"/></g></svg>""",
            """<svg xmlns="http://www.w3.org/2000/svg" width="20mm" height="10mm" viewBox="0 0 20 10"><line x1="1" y1="5" x2="19" y2="5" style="stroke:#6a1b9a;stroke-width:0.3"/><polygon points="2,1 6,9 10,1" fill="#00838f"/><text x="1" y="9">A</text></svg>""",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public static MutationEngine Engine(int seed) => new(Seeds(), seed, new MutationOptions
    {
        InterestingBytes = [(byte)'<', (byte)'>', (byte)'"', (byte)'-', (byte)'.', (byte)'0', (byte)'9', (byte)'e', (byte)'Z', (byte)'A', (byte)' ', 0x00, 0xFF],
        MaxLength = 8 * 1024,
    });

    /// <summary>Digitizes; true when it produced stitches, false when refused properly. Anything else escapes.</summary>
    public static bool Check(byte[] input)
    {
        try
        {
            var result = Digitization.FromSvg(input, Fabric.Woven, hoop: Hoop);
            return result.Pattern.StitchCount > 0 ? true : throw new InvalidOperationException("a design that digitized has no stitches");
        }
        catch (DesignException e) when (!string.IsNullOrWhiteSpace(e.Message))
        {
            return false;
        }
    }
}
