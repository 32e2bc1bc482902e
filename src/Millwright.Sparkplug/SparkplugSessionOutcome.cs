namespace Millwright.Sparkplug;

public enum SparkplugSessionOutcome
{
    /// <summary>The message was in order and its effects are in the result.</summary>
    Applied,

    /// <summary>Nothing to do: a stale or repeated NDEATH, a command, a STATE message.</summary>
    Ignored,

    /// <summary>
    /// The host lost track of the node (seq gap, data before birth, unknown alias): the message was not applied and
    /// the node's metrics are stale until its next NBIRTH. A rebirth request is attached unless one went out recently.
    /// </summary>
    RebirthNeeded,
}
