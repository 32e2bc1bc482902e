namespace Millwright.Security;

/// <summary>The operator's openings in the egress policy (<c>--egress-allow</c>); empty refuses every non-public address.</summary>
internal sealed record EgressOptions
{
    public IReadOnlyList<EgressRule> Allow { get; init; } = [];

    /// <summary>Resolves host names; null is the system resolver. Tests make names resolve where they need.</summary>
    public IEgressResolver? Resolver { get; init; }

    public EgressOptions With(EgressRule rule) => this with { Allow = [.. Allow, rule] };
}
