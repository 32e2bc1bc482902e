using Millwright.Features.States;

namespace Millwright.Features.Live;

/// <summary>Hands each machine's new current state to the connections watching it or the fleet's positions (costs what a publish costs: no waiting).</summary>
internal sealed class LiveStateForwarder(LiveFeed feed) : IStateChangeListener
{
    public void StateChanged(long tenantId, CurrentState current) =>
        feed.PublishEvent(tenantId, current.MachineId, $"state:{current.MachineId}", LiveEventMessages.State(current), toPositionWatchers: true);
}
