using Millwright.Features.Quotas;

namespace Millwright.Features.Telemetry;

/// <summary>The series of the tenant's machine that has the most: what the series-per-machine quota is closest to.</summary>
internal sealed class SeriesQuotaMeter(TelemetryStorage storage) : IQuotaMeter
{
    public IEnumerable<KeyValuePair<string, long>> UseOf(long tenantId)
    {
        yield return new("series-per-machine", storage.Store.MostSeriesOfOneMachine(tenantId));
    }
}
