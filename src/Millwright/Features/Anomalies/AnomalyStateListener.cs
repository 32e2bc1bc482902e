using Millwright.Features.States;

namespace Millwright.Features.Anomalies;

/// <summary>
/// Hears every machine's state change for the anomaly watcher, which needs the state tracker and so cannot be one of
/// its listeners itself (the tracker is built with its listeners). Set while the watcher runs.
/// </summary>
internal sealed class AnomalyStateListener : IStateChangeListener
{
    public Action<long, CurrentState>? Changed { get; set; }

    public void StateChanged(long tenantId, CurrentState current) => Changed?.Invoke(tenantId, current);
}
