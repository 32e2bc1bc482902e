using System.Net;
using Millwright.Features.DeviceCredentials;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Api;

public abstract class DeviceCredentialsApiTests(HostFixture fixture)
{
    private TestHost Host => fixture.Host;

    [Fact]
    public async Task An_issued_credential_authenticates_its_machine()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        var device = await Host.Devices.AuthenticateAsync(plant.Username, plant.Secret);

        Assert.NotNull(device);
        Assert.Equal(t.Id, device.TenantId);
        Assert.Equal(t.Slug, device.TenantSlug);
        Assert.Equal(plant.MachineId, device.MachineId);
        Assert.Equal($"{plant.Marker}-press", device.MachineName);
    }

    [Fact]
    public async Task A_wrong_secret_or_unknown_username_is_refused()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        Assert.Null(await Host.Devices.AuthenticateAsync(plant.Username, plant.Secret + "x"));
        Assert.Null(await Host.Devices.AuthenticateAsync("d-nobody", plant.Secret));
    }

    [Fact]
    public async Task Issuing_a_new_credential_revokes_the_earlier_one()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        var second = await t.Operator.PostJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials", new { }, HttpStatusCode.Created);

        Assert.Null(await Host.Devices.AuthenticateAsync(plant.Username, plant.Secret));
        Assert.NotNull(await Host.Devices.AuthenticateAsync(second["username"]!.GetValue<string>(), second["secret"]!.GetValue<string>()));
        var list = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials");
        var credentials = list.AsArray();
        Assert.Equal(2, credentials.Count);
        Assert.NotNull(credentials[0]!["revokedAt"]);
        Assert.Null(credentials[1]!["revokedAt"]);
        Assert.All(credentials, c => Assert.Null(c!["secret"]));
    }

    [Fact]
    public async Task Revoking_a_credential_stops_it_and_revoking_again_changes_nothing()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.DeleteAsync($"/api/v1/machines/{plant.MachineId}/credentials/{plant.CredentialId}", HttpStatusCode.NoContent);
        var revokedAt = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials")).AsArray()[0]!["revokedAt"]!.GetValue<string>();
        await t.Operator.DeleteAsync($"/api/v1/machines/{plant.MachineId}/credentials/{plant.CredentialId}", HttpStatusCode.NoContent);

        Assert.Null(await Host.Devices.AuthenticateAsync(plant.Username, plant.Secret));
        Assert.Equal(revokedAt, (await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials")).AsArray()[0]!["revokedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_viewer_cannot_issue_or_revoke_credentials()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Post, $"/api/v1/machines/{plant.MachineId}/credentials", null, HttpStatusCode.Forbidden, "viewer");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/machines/{plant.MachineId}/credentials/{plant.CredentialId}", null, HttpStatusCode.Forbidden, "viewer");

        Assert.NotNull(await Host.Devices.AuthenticateAsync(plant.Username, plant.Secret));
        Assert.Single((await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/credentials")).AsArray());
    }

    [Fact]
    public async Task Credentials_of_an_unknown_machine_are_not_found()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.SendExpectingProblemAsync(HttpMethod.Post, "/api/v1/machines/987654/credentials", null, HttpStatusCode.NotFound, "no machine with id 987654");
        await t.Viewer.SendExpectingProblemAsync(HttpMethod.Get, "/api/v1/machines/987654/credentials", null, HttpStatusCode.NotFound, "no machine with id 987654");
        await t.Operator.SendExpectingProblemAsync(HttpMethod.Delete, $"/api/v1/machines/{plant.MachineId}/credentials/987654", null, HttpStatusCode.NotFound, "no device credential with id 987654");
    }

    [Fact]
    public async Task Deleting_a_machine_deletes_its_credentials()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);

        await t.Operator.DeleteAsync($"/api/v1/machines/{plant.MachineId}", HttpStatusCode.NoContent);

        Assert.Null(await Host.Devices.AuthenticateAsync(plant.Username, plant.Secret));
    }

    public sealed class OnSqlite(SqliteHost host) : DeviceCredentialsApiTests(host), IClassFixture<SqliteHost>;

    public sealed class OnPostgres(PostgresHost host) : DeviceCredentialsApiTests(host), IClassFixture<PostgresHost>;
}
