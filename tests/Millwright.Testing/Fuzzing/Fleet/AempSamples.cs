using System.Globalization;

namespace Millwright.Fuzzing;

/// <summary>
/// Two fleet snapshots as other makers' AEMP 2.0 feeds serve them, written from ISO 15143-3's description (the
/// Fleet / Equipment / EquipmentHeader structure and element names), in two shapes: the standard's namespace with
/// times as <c>datetime</c> attributes and metric units; and a looser feed with no namespace, times as
/// <c>datetime</c> child elements, US units, lower-case names and a vendor element of its own.
/// </summary>
internal static class AempSamples
{
    public const string IsoNamespace = "http://standards.iso.org/iso/15143/-3";

    /// <summary>Two machines; every element of the first at <paramref name="at"/>, the second's location an hour earlier.</summary>
    public static string Iso(DateTimeOffset at) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Fleet xmlns="{IsoNamespace}" version="1" snapshotTime="{Xs(at.AddMinutes(5))}">
          <Links><rel>self</rel><href>https://aemp.example-oem.test/Fleet/1</href></Links>
          <Links><rel>last</rel><href>https://aemp.example-oem.test/Fleet/1</href></Links>
          <Equipment>
            <EquipmentHeader>
              <OEMName>Example Machinery</OEMName><Model>WX-300</Model><EquipmentID>WX300-17</EquipmentID>
              <SerialNumber>EXM0WX300K00017</SerialNumber><PIN>EXM0WX300K00017</PIN>
            </EquipmentHeader>
            <Location datetime="{Xs(at)}"><Latitude>48.137</Latitude><Longitude>11.575</Longitude><Altitude>519</Altitude><AltitudeUnits>metre</AltitudeUnits></Location>
            <CumulativeOperatingHours datetime="{Xs(at)}"><Hour>4211.5</Hour></CumulativeOperatingHours>
            <CumulativeIdleHours datetime="{Xs(at)}"><Hour>812.25</Hour></CumulativeIdleHours>
            <Distance datetime="{Xs(at)}"><OdometerUnits>kilometre</OdometerUnits><Odometer>1520.5</Odometer></Distance>
            <EngineStatus datetime="{Xs(at)}"><Running>true</Running></EngineStatus>
            <FuelUsed datetime="{Xs(at)}"><FuelUnits>litre</FuelUnits><FuelConsumed>61234.5</FuelConsumed></FuelUsed>
            <FuelUsedLast24 datetime="{Xs(at)}"><FuelUnits>litre</FuelUnits><FuelConsumed>180</FuelConsumed></FuelUsedLast24>
            <FuelRemaining datetime="{Xs(at)}"><Percent>71</Percent></FuelRemaining>
            <DEFRemaining datetime="{Xs(at)}"><Percent>64</Percent></DEFRemaining>
            <CumulativeLoadCount datetime="{Xs(at)}"><Count>10250</Count></CumulativeLoadCount>
            <CumulativePayloadTotals datetime="{Xs(at)}"><PayloadUnits>tonne</PayloadUnits><Payload>205000</Payload></CumulativePayloadTotals>
            <CumulativePowerTakeOffHours datetime="{Xs(at)}"><Hour>12.5</Hour></CumulativePowerTakeOffHours>
          </Equipment>
          <Equipment>
            <EquipmentHeader><OEMName>Example Machinery</OEMName><Model>WL-120</Model><EquipmentID>WL120-3</EquipmentID><SerialNumber>EXM0WL120K00003</SerialNumber></EquipmentHeader>
            <Location datetime="{Xs(at.AddHours(-1))}"><Latitude>48.2</Latitude><Longitude>11.6</Longitude></Location>
            <CumulativeOperatingHours datetime="{Xs(at)}"><Hour>950</Hour></CumulativeOperatingHours>
          </Equipment>
        </Fleet>
        """;

    /// <summary>One machine in US units: 2,000 gallons, 100 miles, 1,000 feet; one element without a time.</summary>
    public static string Loose(DateTimeOffset at) => $"""
        <?xml version="1.0"?>
        <Fleet snapshotTime="{Xs(at)}">
          <Equipment>
            <equipmentHeader><oemName>Prairie Iron</oemName><model>PI 850</model><equipmentId>unit 44</equipmentId><serialNumber>PI850X0044</serialNumber></equipmentHeader>
            <location><datetime>{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)}</datetime><latitude>41.88</latitude><longitude>-87.63</longitude><altitude>1000</altitude><altitudeUnits>feet</altitudeUnits></location>
            <FuelUsed><datetime>{Xs(at)}</datetime><FuelUnits>gallon</FuelUnits><FuelConsumed>2000</FuelConsumed></FuelUsed>
            <Distance><datetime>{Xs(at)}</datetime><OdometerUnits>miles</OdometerUnits><Odometer>100</Odometer></Distance>
            <EngineStatus><datetime>{Xs(at)}</datetime><Running>0</Running></EngineStatus>
            <CumulativeOperatingHours><Hour>77</Hour></CumulativeOperatingHours>
            <VendorBucketTemperature><datetime>{Xs(at)}</datetime><Celsius>40</Celsius></VendorBucketTemperature>
          </Equipment>
        </Fleet>
        """;

    /// <summary>
    /// One page of a paged snapshot in the standard's namespace: one machine (serial <c>PG-{page}</c>) and the page
    /// links (self, first, last, and next as <paramref name="next"/> when given, relative or absolute as a feed writes it).
    /// </summary>
    public static string Page(DateTimeOffset at, int page, int pages, string? next) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Fleet xmlns="{IsoNamespace}" version="1" snapshotTime="{Xs(at)}">
          <Links><rel>self</rel><href>/Fleet/{page}</href></Links>
          <Links><rel>first</rel><href>/Fleet</href></Links>
          {(next is null ? "" : $"<Links><rel>next</rel><href>{next}</href></Links>")}
          <Links><rel>last</rel><href>/Fleet/{pages}</href></Links>
          <Equipment>
            <EquipmentHeader><OEMName>Example Machinery</OEMName><Model>WX-300</Model><EquipmentID>PG{page}</EquipmentID><SerialNumber>PG-{page}</SerialNumber></EquipmentHeader>
            <Location datetime="{Xs(at)}"><Latitude>{50 + page}</Latitude><Longitude>10.5</Longitude></Location>
            <CumulativeOperatingHours datetime="{Xs(at)}"><Hour>{100 * page}</Hour></CumulativeOperatingHours>
          </Equipment>
        </Fleet>
        """;

    private static string Xs(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
