namespace Millwright.Tests.Isolation;

/// <summary>Who a route is for, which decides what each kind of stranger must get from it.</summary>
public enum RouteScope
{
    Anonymous,
    Platform,
    Tenant,
    Admin,
}
