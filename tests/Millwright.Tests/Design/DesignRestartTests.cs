using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Millwright.Design;
using Millwright.Hosting;
using Millwright.Storage;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Design;

/// <summary>
/// No acknowledged edit is lost across a server restart: editors work until their edits are acknowledged, the host
/// stops (as a deployment does) and a new host on the same store serves the same structure and history.
/// </summary>
public abstract class DesignRestartTests(bool postgres)
{
    [Fact]
    public async Task Every_acknowledged_edit_is_there_after_the_server_restarts()
    {
        var directory = Directory.CreateTempSubdirectory("mw-design-").FullName;
        var pg = postgres ? await TestPostgres.CreateDatabaseAsync() : null;
        try
        {
            var store = new StoreOptions(directory, pg?.ConnectionString);
            await using var database = await store.OpenAsync();
            var keyFile = await PlatformBootstrap.EnsurePlatformKeyAsync(database, directory, TimeProvider.System, CancellationToken.None);
            var platformKey = await KeyFile.ReadAsync(keyFile!);

            string before;
            long project;
            string operatorKey;
            var first = await StartAsync(store, database);
            try
            {
                var address = new Uri(first.Urls.Single());
                using var platform = Client(address, platformKey);
                var tenant = (await platform.PostJsonAsync("/api/v1/tenants", new { slug = $"r-{Guid.NewGuid():N}"[..20], name = "Restart" }, HttpStatusCode.Created)).Id();
                operatorKey = (await platform.PostJsonAsync($"/api/v1/tenants/{tenant}/api-keys", new { name = "designer", role = "operator", reason = "test" }, HttpStatusCode.Created))["key"]!.GetValue<string>();
                using var designer = Client(address, operatorKey);
                project = await DesignChannel.CreateProjectAsync(designer);

                await using var alice = await DesignChannelClient.ConnectAsync(address, project, operatorKey, "alice");
                await using var bob = await DesignChannelClient.ConnectAsync(address, project, operatorKey, "bob");
                await alice.CreateAsync("pump", DesignTree.Root, ("type", "assembly"), ("name", "Pump"));
                await Eventually.TrueAsync(() => bob.Read(t => t.Contains("pump")), "bob to see the pump");
                for (var i = 0; i < 40; i++)
                {
                    var editor = i % 2 == 0 ? alice : bob;
                    await editor.CreateAsync($"p{i}", "pump", ("type", "part"), ("quantity", $"{i + 1}"), ("material", i % 3 == 0 ? "steel" : "brass"));
                }

                await alice.SetAsync("p0", "quantity", "7");
                await bob.SetAsync("pump", "param.bore", "80 mm");
                await Eventually.TrueAsync(() => alice.Read(t => t.FieldOf("pump", "param.bore")) is not null, "alice to see the bore her formula reads");
                await alice.SetAsync("pump", "param.area", "= bore * bore * 0.785398 [mm2]");
                before = await DesignChannel.ConvergedAsync(designer, project, alice, bob);
            }
            finally
            {
                await first.StopAsync();
                await first.DisposeAsync();
            }

            var second = await StartAsync(store, database);
            try
            {
                using var again = Client(new Uri(second.Urls.Single()), operatorKey);
                Assert.Equal(before, await DesignChannel.DescribeServerAsync(again, project));
                var history = (await again.GetJsonAsync($"/api/v1/design/projects/{project}/history?node=p0&field=quantity")).AsArray();
                Assert.Equal(["1", "7"], history.Select(h => h!["value"]!.GetValue<string>()));
                var area = (await again.GetJsonAsync($"/api/v1/design/projects/{project}/parameters")).AsArray().Single(p => p!["field"]!.GetValue<string>() == "param.area")!;
                Assert.Equal("5026.55", area["value"]!.GetValue<string>());

                // The reloaded room goes on merging: a new editor continues after the stored clock.
                await using var carol = await DesignChannelClient.ConnectAsync(new Uri(second.Urls.Single()), project, operatorKey, "carol");
                await carol.SetAsync("p1", "material", "titanium");
                var after = await DesignChannel.ConvergedAsync(again, project, carol);
                Assert.Contains("p1 < pump material=titanium", after, StringComparison.Ordinal);
            }
            finally
            {
                await second.StopAsync();
                await second.DisposeAsync();
            }
        }
        finally
        {
            if (pg is not null)
            {
                await pg.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<WebApplication> StartAsync(StoreOptions store, IDatabase database)
    {
        var app = MillwrightApp.Build(new ServeOptions(new IPEndPoint(IPAddress.Loopback, 0), store), database, clock: null);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public sealed class OnSqlite() : DesignRestartTests(postgres: false);

    public sealed class OnPostgres() : DesignRestartTests(postgres: true);
}
