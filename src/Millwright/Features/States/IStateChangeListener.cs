namespace Millwright.Features.States;

/// <summary>
/// Learns of every machine's new current state (a state change, or an operator naming the open interval's
/// reason), so that features above States (the live feed) hear of it without States knowing them. Called on
/// the tracker's loop or a request thread: an implementation only queues and never blocks.
/// </summary>
internal interface IStateChangeListener
{
    void StateChanged(long tenantId, CurrentState current);
}
