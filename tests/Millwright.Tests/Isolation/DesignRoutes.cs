namespace Millwright.Tests.Isolation;

/// <summary>The design workspace's routes (issue 18), aimed at tenant A's project; the channel answers plain HTTP like any tenant route.</summary>
internal static class DesignRoutes
{
    public const string Prefix = "/api/v1/design/projects";

    public static IEnumerable<Route> Build()
    {
        const string p = Prefix;
        static string Project(RouteTarget t) => $"{p}/{t.DesignProjectId}";
        return
        [
            new("GET", $"{p}/", RouteScope.Tenant, _ => p) { OwnSettings = true },
            new("POST", $"{p}/", RouteScope.Tenant, _ => p, _ => new { name = "hijacked" }),
            new("GET", $"{p}/{{id:long}}", RouteScope.Tenant, Project),
            new("GET", $"{p}/{{id:long}}/structure", RouteScope.Tenant, t => $"{Project(t)}/structure"),
            new("GET", $"{p}/{{id:long}}/history", RouteScope.Tenant, t => $"{Project(t)}/history?node=frame&field=name"),
            new("GET", $"{p}/{{id:long}}/channel", RouteScope.Tenant, t => $"{Project(t)}/channel"),
        ];
    }

    /// <summary>A project of A's with one named node, made over REST and the channel.</summary>
    public static async Task<long> CreateTargetAsync(Harness.TestHost host, Harness.TestTenant a, string marker)
    {
        var project = await Design.DesignChannel.CreateProjectAsync(a.Operator, marker);
        await using var editor = await Design.DesignChannel.ConnectAsync(host, project, a.OperatorKey, "walk");
        await editor.CreateAsync("frame", Millwright.Design.DesignTree.Root, ("name", $"{marker} frame"));
        await Design.DesignChannel.ConvergedAsync(a.Viewer, project, editor);
        return project;
    }

    public static IEnumerable<string> SnapshotPaths(RouteTarget t) =>
        [Prefix, $"{Prefix}/{t.DesignProjectId}/structure", $"{Prefix}/{t.DesignProjectId}/history?node=frame&field=name"];
}
