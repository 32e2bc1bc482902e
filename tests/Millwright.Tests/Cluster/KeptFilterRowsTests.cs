using Millwright.Features.ClusterBridge;

namespace Millwright.Tests.Cluster;

/// <summary>
/// The row-by-row reading of stored kept-session subscriptions that a node falls back to when PostgreSQL cannot cast
/// one row to JSON: the broken row adds nothing and every other row's filters still count.
/// </summary>
public sealed class KeptFilterRowsTests
{
    [Fact]
    public void Rows_that_are_not_this_versions_json_add_nothing_and_the_others_still_count()
    {
        var filters = SessionReplica.FiltersOf(
        [
            """[{"Filter":"mw/acme/#","QoS":1},{"Filter":"mw/acme/m1/telemetry","QoS":0}]""",
            "{not json",
            null,
            """{"Filter":"mw/other/#"}""",
            """[42, {"QoS":1}, {"Filter":7}, {"Filter":"mw/beta/+/telemetry"}]""",
        ]);

        Assert.Equal(["mw/acme/#", "mw/acme/m1/telemetry", "mw/beta/+/telemetry"], filters.Order(StringComparer.Ordinal));
    }
}
