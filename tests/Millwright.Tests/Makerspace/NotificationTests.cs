using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Makerspace;

/// <summary>Followers of ideas and projects are told of status changes, comments and releases, over REST and live; participants register themselves with an invitation.</summary>
public abstract class NotificationTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    /// <summary>Reads a key's notification stream in the background, collecting each event's data.</summary>
    private sealed class EventStream : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpResponseMessage _response;
        private readonly Task _pump;

        private EventStream(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _pump = Task.Run(async () =>
            {
                using var reader = new StreamReader(body);
                try
                {
                    while (await reader.ReadLineAsync(_stop.Token) is { } line)
                    {
                        if (line.StartsWith("data: ", StringComparison.Ordinal))
                        {
                            Events.Enqueue(JsonNode.Parse(line["data: ".Length..])!);
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
                {
                    // Stopped.
                }
            });
        }

        public ConcurrentQueue<JsonNode> Events { get; } = new();

        public static async Task<EventStream> OpenAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/makerspace/notifications/stream");
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStreamAsync();
            // The stream's first bytes (a comment) come once the server listens: nothing committed after this is missed.
            var first = new byte[1];
            Assert.Equal(1, await body.ReadAsync(first));
            return new EventStream(response, body);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            await _pump;
            _stop.Dispose();
        }
    }

    /// <summary>Opens the makerspace, issues an invitation and registers with it as an anonymous caller would; returns the participant's client.</summary>
    internal static async Task<(HttpClient Client, JsonNode Registered)> SelfRegisterAsync(TestHost host, TestTenant t, string email)
    {
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var issued = await t.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { note = "fair 2026", uses = 5, expiresInDays = 7 }, HttpStatusCode.Created);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var registered = await anonymous.PostJsonAsync("/api/v1/makerspace/register", new { invitation = issued["token"]!.GetValue<string>(), name = "Mia Maker", email }, HttpStatusCode.OK);
        return (host.Client(registered["key"]!.GetValue<string>()), registered);
    }

    [Fact]
    public async Task Followers_are_told_of_comments_status_changes_and_releases_over_rest_and_live()
    {
        using var t = await Host.CreateTenantAsync();
        var (maker, _) = await SelfRegisterAsync(Host, t, "mia@example.org");
        using var _ = maker;
        var idea = await t.Operator.PostJsonAsync("/api/v1/makerspace/ideas", new { title = "Foldable drying rack", description = "Folds flat against the wall." }, HttpStatusCode.Created);
        var i = $"/api/v1/makerspace/ideas/{idea.Id()}";
        await maker.PutJsonAsync($"{i}/follow", new { }, HttpStatusCode.OK);
        await t.Operator.PutJsonAsync($"{i}/follow", new { }, HttpStatusCode.OK);

        await using (var live = await EventStream.OpenAsync(maker))
        {
            await t.Operator.PostJsonAsync($"{i}/comments", new { body = "Which wall widths?" }, HttpStatusCode.Created);
            await t.Operator.PostJsonAsync($"{i}/status", new { status = "under_review" }, HttpStatusCode.OK);
            await Eventually.TrueAsync(() => live.Events.Count >= 2, "the participant to be told live of the comment and the status change");
            var events = live.Events.ToArray();
            Assert.Equal(["comment", "status"], events.Select(e => e["event"]!.GetValue<string>()));
            Assert.Contains("Which wall widths?", events[0]["text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("under_review", events[1]["text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(idea.Id(), events[1]["subjectId"]!.GetValue<long>());
        }

        // Over REST, newest first; the operator who acted is not told of their own acts, but of the participant's comment.
        var listed = (await maker.GetJsonAsync("/api/v1/makerspace/notifications")).AsArray();
        Assert.Equal(["status", "comment"], listed.Select(n => n!["event"]!.GetValue<string>()));
        await maker.PostJsonAsync($"{i}/comments", new { body = "60 to 120 cm." }, HttpStatusCode.Created);
        Assert.Equal("comment", Assert.Single((await t.Operator.GetJsonAsync("/api/v1/makerspace/notifications")).AsArray())!["event"]!.GetValue<string>());
        var read = await maker.PostJsonAsync("/api/v1/makerspace/notifications/read", new { upTo = listed[0]!.Id() }, HttpStatusCode.OK);
        Assert.Equal(2, read["marked"]!.GetValue<int>());
        Assert.Empty((await maker.GetJsonAsync("/api/v1/makerspace/notifications?unread=true")).AsArray());
        // Another tenant's key reads its own (none), never these.
        using var other = await Host.CreateTenantAsync();
        Assert.Empty((await other.Admin.GetJsonAsync("/api/v1/makerspace/notifications")).AsArray());

        // Followers of a design project are told of its revisions; a participant cannot follow one.
        var project = await Design.DesignChannel.CreateProjectAsync(t.Operator, "Rack");
        await using (var editor = await Design.DesignChannel.ConnectAsync(Host, project, t.OperatorKey, "n"))
        {
            await editor.CreateAsync("frame", Millwright.Design.DesignTree.Root, ("name", "Frame"));
            await Design.DesignChannel.ConvergedAsync(t.Viewer, project, editor);
        }

        await t.Admin.PutJsonAsync($"/api/v1/design/projects/{project}/follow", new { }, HttpStatusCode.OK);
        await maker.SendExpectingProblemAsync(HttpMethod.Put, $"/api/v1/design/projects/{project}/follow", new { }, HttpStatusCode.Forbidden, "");
        await t.Operator.PostJsonAsync($"/api/v1/design/projects/{project}/revisions", new { note = "baseline" }, HttpStatusCode.Created);
        var released = Assert.Single((await t.Admin.GetJsonAsync("/api/v1/makerspace/notifications")).AsArray())!;
        Assert.Equal("project", released["subject"]!.GetValue<string>());
        Assert.Equal("revision", released["event"]!.GetValue<string>());
        Assert.Contains("baseline", released["text"]!.GetValue<string>(), StringComparison.Ordinal);
        // Without Accept: text/event-stream the stream's route answers the list.
        Assert.Equal("revision", (await t.Admin.GetJsonAsync("/api/v1/makerspace/notifications/stream"))[0]!["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_participant_registers_with_an_invitation_while_it_is_good_and_gets_the_makerspace_only()
    {
        using var t = await Host.CreateTenantAsync();
        using var anonymous = new HttpClient { BaseAddress = Host.BaseAddress };
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        var issued = await t.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { uses = 1 }, HttpStatusCode.Created);
        var token = issued["token"]!.GetValue<string>();
        Assert.DoesNotContain(token, (await t.Admin.GetJsonAsync("/api/v1/makerspace/invitations")).ToJsonString(), StringComparison.Ordinal);

        // Closed makerspace: refused, and the invitation is not used up by it.
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = false }, HttpStatusCode.OK);
        await anonymous.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/register", new { invitation = token, name = "Ben", email = "ben@example.org" }, HttpStatusCode.Conflict, "closed");
        await t.Admin.PutJsonAsync("/api/v1/makerspace/settings", new { openToExternal = true }, HttpStatusCode.OK);
        await t.Admin.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/register", new { invitation = token, name = "Ben", email = "ben@example.org" }, HttpStatusCode.Forbidden, "without a key");
        var registered = await anonymous.PostJsonAsync("/api/v1/makerspace/register", new { invitation = token, name = "Ben", email = "ben@example.org" }, HttpStatusCode.OK);
        Assert.Equal(1, (await t.Admin.GetJsonAsync("/api/v1/makerspace/invitations"))[0]!["used"]!.GetValue<long>());
        await anonymous.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/register", new { invitation = token, name = "Cy", email = "cy@example.org" }, HttpStatusCode.Gone, "used up");
        await anonymous.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/register", new { invitation = "mwi_nosuchtoken", name = "Cy", email = "cy@example.org" }, HttpStatusCode.NotFound, "no such invitation");
        var revoked = await t.Admin.PostJsonAsync("/api/v1/makerspace/invitations", new { uses = 3 }, HttpStatusCode.Created);
        await t.Admin.DeleteAsync($"/api/v1/makerspace/invitations/{revoked["invitation"]!.Id()}", HttpStatusCode.OK);
        await anonymous.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/makerspace/register", new { invitation = revoked["token"]!.GetValue<string>(), name = "Cy", email = "cy@example.org" }, HttpStatusCode.Gone, "revoked");

        // The key is a participant's: the makerspace, and nothing else (the isolation walk registers its participant this way too).
        using var ben = Host.Client(registered["key"]!.GetValue<string>());
        Assert.Equal(t.Id, registered["participant"]!["tenantId"]!.GetValue<long>());
        Assert.Contains(registered["participant"]!.Id(), (await t.Admin.GetJsonAsync("/api/v1/makerspace/participants")).AsArray().Select(p => p!.Id()));
        await ben.GetJsonAsync("/api/v1/makerspace/ideas");
        foreach (var path in new[] { "/api/v1/machines", "/api/v1/design/projects", "/api/v1/api-keys", "/api/v1/makerspace/invitations" })
        {
            using var refused = await ben.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)refused.StatusCode}");
        }
    }

    public sealed class OnSqlite(SqliteHost host) : NotificationTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : NotificationTests(host), IClassFixture<PostgresHost>;
}
