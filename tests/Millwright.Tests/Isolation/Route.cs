namespace Millwright.Tests.Isolation;

/// <summary>One mapped route: method, template as mapped, and how to call it against a <see cref="RouteTarget"/>.</summary>
public sealed record Route(string Method, string Template, RouteScope Scope, Func<RouteTarget, string> Path, Func<RouteTarget, object?>? Body = null)
{
    /// <summary>A WebSocket route: the walks connect, log in with the stranger's key and try to subscribe to the target (<see cref="LiveWalk"/>).</summary>
    public bool IsWebSocket { get; init; }

    /// <summary>A route without a target that reads or changes the caller's own tenant settings: a stranger meets its own.</summary>
    public bool OwnSettings { get; init; }

    public bool IsWrite => Method is "POST" or "PUT" or "DELETE";

    /// <summary>A write that makes a new object in the caller's own tenant rather than touching the target's.</summary>
    public bool CreatesOwn => Method == "POST" && Template.EndsWith('/') && Scope == RouteScope.Tenant && !Template.Contains("credentials", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Template}";
}
