namespace Millwright.Tests.Isolation;

/// <summary>Who a route is for, which decides what each kind of stranger must get from it.</summary>
public enum RouteScope
{
    Anonymous,
    Platform,
    Tenant,
    Admin,

    /// <summary>Authenticated by a device credential (HTTP Basic), never by an API key.</summary>
    Device,
}
