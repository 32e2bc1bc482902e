using Millwright.Design;

namespace Millwright.Features.Design;

/// <summary>Operations one member sent in one message, waiting for the room's writer.</summary>
internal sealed record DesignSubmission(DesignMember Member, IReadOnlyList<WireOp> Ops);
