namespace Millwright.Storage.TimeSeries;

/// <summary>
/// An hour of one series whose chunks a checkpoint replaces by one holding them and <see cref="Extra"/>
/// (compaction, or in-order points that close the hour). Checkpoints collect these and read the old chunks of
/// many series in one query, instead of a round trip per series at every hour boundary.
/// </summary>
internal sealed record HourRewrite(SeriesState Series, long Hour, PointBuffer Extra)
{
    public int Written { get; set; }
}
