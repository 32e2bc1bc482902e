using Millwright.Messages;

namespace Millwright.Features.Telemetry;

/// <summary>A message admitted to the pipeline, with what admission learnt about it, waiting for its commit.</summary>
internal sealed class PendingMessage(DeviceMessage message, MachineSchema schema, List<TelemetryFlag>? flags, long queued = 0)
{
    // Continuations run elsewhere: the writer must not run every sender's acknowledgement inline.
    private readonly TaskCompletionSource _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DeviceMessage Message => message;

    public MachineSchema Schema => schema;

    public List<TelemetryFlag>? Flags => flags;

    /// <summary>When it was queued (the pipeline clock's timestamp): how long it waits for the writer is measured from here.</summary>
    public long Queued => queued;

    /// <summary>Completes when the message is durable; faults when storing it failed.</summary>
    public Task Stored => _stored.Task;

    public void Complete() => _stored.TrySetResult();

    public void Fail(Exception exception) => _stored.TrySetException(new InvalidOperationException("the platform could not store the values", exception));

    public void Abandon() => _stored.TrySetCanceled();
}
