namespace Millwright.Design;

internal enum ChannelRequestKind
{
    /// <summary>The first message: the replica name the client stamps its edits with, and the key when no header carried it.</summary>
    Hello,

    /// <summary>Edits, each stamped by the client's Lamport clock.</summary>
    Ops,

    /// <summary>What the client is looking at (a node, or nothing).</summary>
    Presence,

    /// <summary>The client asks for the whole state again.</summary>
    Resync,
}
