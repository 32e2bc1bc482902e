using System.Text;
using Millwright.Fleet;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>AEMP feeds are other companies' bytes: mutated snapshots may only parse within the contract or be refused with a format error.</summary>
public sealed class AempFeedFuzzTests
{
    [Fact]
    public void Mutated_snapshots_only_parse_or_fail_with_a_format_error()
    {
        var engine = AempFeedFuzzing.Engine(20261206);
        var parsed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            if (AempFeedFuzzing.Check(engine.Next().Input) is not null)
            {
                parsed++;
            }
        }

        Assert.InRange(parsed, 1, 4_999);
    }

    [Theory]
    [InlineData("", "not well-formed XML")]
    [InlineData("<Fleet><Equipment></Fleet>", "line 1")]
    [InlineData("<Machines/>", "not an ISO 15143-3 Fleet")]
    [InlineData("<!DOCTYPE Fleet [<!ENTITY a \"b\">]><Fleet>&a;</Fleet>", "not well-formed XML")]
    public void Documents_that_are_not_snapshots_are_refused_naming_the_cause(string xml, string cause)
    {
        var e = Assert.Throws<FleetFormatException>(() => AempFeedParser.Parse(Encoding.UTF8.GetBytes(xml)));
        Assert.Contains(cause, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_values_and_unknown_units_are_skipped_and_reported()
    {
        var snapshot = AempFeedParser.Parse("""
            <Fleet xmlns="http://standards.iso.org/iso/15143/-3"><Equipment><EquipmentHeader><SerialNumber>S1</SerialNumber></EquipmentHeader>
            <Location datetime="2026-12-01T08:00:00Z"><Latitude>91</Latitude><Longitude>10</Longitude></Location>
            <FuelUsed datetime="2026-12-01T08:00:00Z"><FuelUnits>barrel</FuelUnits><FuelConsumed>3</FuelConsumed></FuelUsed>
            <FuelRemaining datetime="2026-12-01T08:00:00+01:00"><Percent>40</Percent></FuelRemaining>
            </Equipment></Fleet>
            """u8);

        var machine = Assert.Single(snapshot.Equipment);
        Assert.Equal(["longitude", "fuel_level"], machine.Points.Select(p => p.Tag));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), machine.Points[1].At);
        Assert.Equal(2, snapshot.Skipped.Count);
        Assert.All(snapshot.Skipped, s => Assert.StartsWith("S1: ", s, StringComparison.Ordinal));
    }
}
