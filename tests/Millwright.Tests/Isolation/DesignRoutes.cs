using System.Collections.Concurrent;
using System.Net;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Isolation;

/// <summary>The design workspace's routes (issue 18), aimed at tenant A's project; the channel answers plain HTTP like any tenant route.</summary>
internal static class DesignRoutes
{
    public const string Prefix = "/api/v1/design/projects";

    // The change request and released item of each target project (RouteTarget carries the project id only).
    private static readonly ConcurrentDictionary<long, (long Change, long Item)> Targets = new();

    public static IEnumerable<Route> Build()
    {
        const string p = Prefix;
        static string Project(RouteTarget t) => $"{p}/{t.DesignProjectId}";
        static string Change(RouteTarget t) => $"{Project(t)}/changes/{Targets[t.DesignProjectId].Change}";
        return
        [
            new("GET", $"{p}/", RouteScope.Tenant, _ => p) { OwnSettings = true },
            new("POST", $"{p}/", RouteScope.Tenant, _ => p, _ => new { name = "hijacked" }),
            new("GET", $"{p}/{{id:long}}", RouteScope.Tenant, Project),
            new("GET", $"{p}/{{id:long}}/structure", RouteScope.Tenant, t => $"{Project(t)}/structure"),
            new("GET", $"{p}/{{id:long}}/parameters", RouteScope.Tenant, t => $"{Project(t)}/parameters"),
            new("GET", $"{p}/{{id:long}}/history", RouteScope.Tenant, t => $"{Project(t)}/history?node=frame&field=name"),
            new("GET", $"{p}/{{id:long}}/channel", RouteScope.Tenant, t => $"{Project(t)}/channel"),
            new("GET", $"{p}/{{id:long}}/documents", RouteScope.Tenant, t => $"{Project(t)}/documents"),
            new("PUT", $"{p}/{{id:long}}/nodes/{{node}}/documents/{{name}}", RouteScope.Tenant, t => $"{Project(t)}/nodes/frame/documents/drawing",
                _ => new { kind = "drawing", sha256 = new string('a', 64), uri = "https://intruder.example/x.pdf" }),
            new("DELETE", $"{p}/{{id:long}}/nodes/{{node}}/documents/{{name}}", RouteScope.Tenant, t => $"{Project(t)}/nodes/frame/documents/drawing"),
            new("PUT", $"{p}/{{id:long}}/follow", RouteScope.Tenant, t => $"{Project(t)}/follow", _ => new { }),
            new("DELETE", $"{p}/{{id:long}}/follow", RouteScope.Tenant, t => $"{Project(t)}/follow"),
            new("GET", $"{p}/{{id:long}}/requirements", RouteScope.Tenant, t => $"{Project(t)}/requirements"),
            new("PUT", $"{p}/{{id:long}}/nodes/{{node}}/requirements/{{name}}", RouteScope.Tenant, t => $"{Project(t)}/nodes/frame/requirements/span", _ => new { text = "hijacked" }),
            new("DELETE", $"{p}/{{id:long}}/nodes/{{node}}/requirements/{{name}}", RouteScope.Tenant, t => $"{Project(t)}/nodes/frame/requirements/span"),
            new("GET", $"{p}/{{id:long}}/revisions", RouteScope.Tenant, t => $"{Project(t)}/revisions"),
            new("POST", $"{p}/{{id:long}}/revisions", RouteScope.Tenant, t => $"{Project(t)}/revisions", _ => new { note = "hijacked", changeId = 0 }),
            new("GET", $"{p}/{{id:long}}/revisions/{{number:long}}", RouteScope.Tenant, t => $"{Project(t)}/revisions/1"),
            new("GET", $"{p}/{{id:long}}/diff", RouteScope.Tenant, t => $"{Project(t)}/diff?from=1&to=1"),
            new("POST", $"{p}/{{id:long}}/revisions/{{number:long}}/manufacture", RouteScope.Tenant, t => $"{Project(t)}/revisions/1/manufacture", _ => new { }),
            new("GET", $"{p}/{{id:long}}/reviewers", RouteScope.Tenant, t => $"{Project(t)}/reviewers"),
            new("POST", $"{p}/{{id:long}}/reviewers", RouteScope.Tenant, t => $"{Project(t)}/reviewers", _ => new { role = "quality", keyId = 1 }),
            new("GET", $"{p}/{{id:long}}/changes", RouteScope.Tenant, t => $"{Project(t)}/changes"),
            new("POST", $"{p}/{{id:long}}/changes", RouteScope.Tenant, t => $"{Project(t)}/changes", _ => new { title = "hijacked", nodes = new[] { "frame" }, roles = new[] { "design" } }),
            new("GET", $"{p}/{{id:long}}/changes/{{changeId:long}}", RouteScope.Tenant, Change),
            new("POST", $"{p}/{{id:long}}/changes/{{changeId:long}}/reviews", RouteScope.Tenant, t => $"{Change(t)}/reviews", _ => new { role = "design", verdict = "approve" }),
            new("GET", "/api/v1/design/routing-templates", RouteScope.Tenant, _ => "/api/v1/design/routing-templates") { OwnSettings = true },
            new("PUT", "/api/v1/design/routing-templates/{partType}", RouteScope.Tenant, _ => "/api/v1/design/routing-templates/welded",
                _ => new { operations = new object[] { new { id = "10", name = "Weld", capability = "welding", unitSeconds = 1, program = "W1" } } }) { OwnSettings = true },
            new("GET", "/api/v1/design/items/{itemId:long}/origin", RouteScope.Tenant, t => $"/api/v1/design/items/{Targets[t.DesignProjectId].Item}/origin"),
            new("GET", "/api/v1/design/kpis/cycle", RouteScope.Tenant, _ => "/api/v1/design/kpis/cycle") { OwnSettings = true },
        ];
    }

    /// <summary>A project of A's with one named part, released, released to manufacturing and with a change request under review.</summary>
    public static async Task<long> CreateTargetAsync(TestHost host, TestTenant a, string marker)
    {
        var project = await Design.DesignChannel.CreateProjectAsync(a.Operator, marker);
        await using (var editor = await Design.DesignChannel.ConnectAsync(host, project, a.OperatorKey, "walk"))
        {
            await editor.CreateAsync("frame", Millwright.Design.DesignTree.Root, ("name", $"{marker} frame"), ("number", $"FR-{project}"), ("param.span", "1200 mm"),
                ("doc.drawing", $"drawing sha256:{new string('b', 64)} https://files.example.com/frame.pdf"), ("req.span", "Spans 1.2 m"), ("verify.span", "span == 1200 mm"));
            await Design.DesignChannel.ConvergedAsync(a.Viewer, project, editor);
        }

        var p = $"{Prefix}/{project}";
        await a.Operator.PostJsonAsync($"{p}/revisions", new { note = marker }, HttpStatusCode.Created);
        var made = await a.Admin.PostJsonAsync($"{p}/revisions/1/manufacture", new { }, HttpStatusCode.OK);
        var operatorKey = (await a.Admin.ListAsync("/api/v1/api-keys")).Single(k => k!["role"]!.GetValue<string>() == "operator")!.Id();
        await a.Admin.PostJsonAsync($"{p}/reviewers", new { role = "design", keyId = operatorKey }, HttpStatusCode.OK);
        var change = await a.Operator.PostJsonAsync($"{p}/changes", new { title = $"{marker} change", nodes = new[] { "frame" }, roles = new[] { "design" } }, HttpStatusCode.Created);
        Targets[project] = (change.Id(), made["items"]![0]!["itemId"]!.GetValue<long>());
        return project;
    }

    public static IEnumerable<string> SnapshotPaths(RouteTarget t) =>
    [
        Prefix, $"{Prefix}/{t.DesignProjectId}/structure", $"{Prefix}/{t.DesignProjectId}/parameters", $"{Prefix}/{t.DesignProjectId}/history?node=frame&field=name",
        $"{Prefix}/{t.DesignProjectId}/revisions", $"{Prefix}/{t.DesignProjectId}/reviewers",
        $"{Prefix}/{t.DesignProjectId}/documents", $"{Prefix}/{t.DesignProjectId}/requirements", $"{Prefix}/{t.DesignProjectId}/changes", "/api/v1/design/routing-templates",
    ];
}
