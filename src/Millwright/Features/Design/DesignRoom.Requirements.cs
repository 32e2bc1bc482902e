using Millwright.Design;

namespace Millwright.Features.Design;

/// <summary>The room's requirements: which exist, and telling members when one's status changes.</summary>
internal sealed partial class DesignRoom
{
    /// <summary>After a write of a req. or verify. field (merged): the requirement exists while either field has a value.</summary>
    private void TrackRequirement(string node, string name)
    {
        if (_tree.FieldOf(node, DesignFields.RequirementPrefix + name) is not null || _tree.FieldOf(node, DesignFields.VerifyPrefix + name) is not null)
        {
            _requirements.Add((node, name));
        }
        else
        {
            _requirements.Remove((node, name));
        }
    }

    /// <summary>
    /// After a stored batch: any edit may change a status (a parameter a verification reads, a part moved to the trash),
    /// so the statuses are recomputed (cheap: only the requirements, and one pass over the sheet) and sent when they differ.
    /// </summary>
    private void BroadcastRequirementsLocked()
    {
        if (_requirements.Count == 0 && _requirementsSent is null)
        {
            return;
        }

        var message = ChannelMessages.Requirements(Requirements.Of(_tree, _sheet, _requirements));
        if (_requirementsSent is null || !message.AsSpan().SequenceEqual(_requirementsSent))
        {
            _requirementsSent = message;
            Broadcast(message, except: null);
        }
    }

    private void SendRequirementsLocked(DesignMember member)
    {
        if (_requirements.Count > 0)
        {
            member.Send(ChannelMessages.Requirements(Requirements.Of(_tree, _sheet, _requirements)));
        }
    }
}
