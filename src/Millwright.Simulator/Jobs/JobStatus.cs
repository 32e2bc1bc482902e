namespace Millwright.Simulator.Jobs;

/// <summary>The <c>status</c> of an answer on <c>cmd/ack</c>.</summary>
internal enum JobStatus
{
    Accepted,
    Rejected,
    Cancelled,
    Completed,
}
