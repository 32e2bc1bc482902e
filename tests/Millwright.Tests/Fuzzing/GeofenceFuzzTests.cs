using System.Text;
using Millwright.Fleet;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>Geofences are tenant uploads: mutated GeoJSON may only give a valid polygon or be refused naming a field.</summary>
public sealed class GeofenceFuzzTests
{
    [Fact]
    public void Mutated_geofence_documents_only_parse_to_valid_polygons_or_fail_with_a_format_error()
    {
        var engine = GeofenceFuzzing.Engine(20261206);
        var accepted = 0;
        for (var i = 0; i < 30_000; i++)
        {
            if (GeofenceFuzzing.Check(engine.Next().Input) is not null)
            {
                accepted++;
            }
        }

        Assert.InRange(accepted, 1, 29_999);
    }

    [Theory]
    [InlineData("", "body")]
    [InlineData("[]", "type")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1e400,0],[1,0],[1,1],[0,0]]]},"properties":{"name":"n","kind":"depot"}}""", "geometry.coordinates")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{"name":"n","kind":"depot"}}""", "geometry.coordinates")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0.5]]]},"properties":{"name":"n","kind":"depot"}}""", "geometry.coordinates")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[5,5],[6,5],[6,6],[5,5]]]},"properties":{"name":"n","kind":"depot"}}""", "geometry.coordinates")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{"name":"n","kind":"depot","workingHours":{"from":"07:00","to":"18:00","days":[]}}}""", "properties.workingHours.days")]
    public void Documents_outside_the_contract_are_refused_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<FleetFormatException>(() => GeofenceDocument.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(field, e.Errors.Keys);
    }

    [Fact]
    public void A_name_that_is_not_UTF_8_is_refused_not_thrown_as_another_error()
    {
        // Found by the fuzz test above: the JSON reader checks structure, and the bytes only fail when read as text.
        byte[] document = [.. """{"type":"Feature","properties":{"name":"a"""u8, 0xFF, .. "\"}}"u8];
        Assert.Contains("body", Assert.Throws<FleetFormatException>(() => GeofenceDocument.Parse(document)).Errors.Keys);
    }

    [Fact]
    public void A_night_shift_belongs_to_the_day_it_starts_on()
    {
        var hours = new WorkingHours(22 * 60, 6 * 60, 1 << 4); // Friday 22:00 to Saturday 06:00
        long At(int day, int hour) => new DateTimeOffset(2026, 12, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.True(hours.IsWorking(TimeZoneInfo.Utc, At(4, 23)));   // Friday 23:00
        Assert.True(hours.IsWorking(TimeZoneInfo.Utc, At(5, 5)));    // Saturday 05:00
        Assert.False(hours.IsWorking(TimeZoneInfo.Utc, At(5, 23)));  // Saturday 23:00
        Assert.False(hours.IsWorking(TimeZoneInfo.Utc, At(4, 5)));   // Friday 05:00 (Thursday's night is not worked)
        Assert.False(hours.IsWorking(TimeZoneInfo.Utc, At(4, 12)));
    }
}
