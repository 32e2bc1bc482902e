namespace Millwright.Tests.Harness;

/// <summary>A tenant made for one test, with a key of each role and a client for each.</summary>
public sealed class TestTenant(TestHost host, long id, string slug, string adminKey, string operatorKey, string viewerKey) : IDisposable
{
    public long Id { get; } = id;

    public string Slug { get; } = slug;

    public string AdminKey { get; } = adminKey;

    public string OperatorKey { get; } = operatorKey;

    public string ViewerKey { get; } = viewerKey;

    public HttpClient Admin { get; } = host.Client(adminKey);

    public HttpClient Operator { get; } = host.Client(operatorKey);

    public HttpClient Viewer { get; } = host.Client(viewerKey);

    public void Dispose()
    {
        Admin.Dispose();
        Operator.Dispose();
        Viewer.Dispose();
    }
}
