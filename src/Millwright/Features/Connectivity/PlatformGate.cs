using System.Net;
using System.Text;
using Dapper;
using Millwright.Api;
using Millwright.Features.DeviceCredentials;
using Millwright.Features.Quotas;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using Millwright.Security;
using Millwright.Storage;

namespace Millwright.Features.Connectivity;

/// <summary>
/// The platform's rules for MQTT: devices log in with their credentials and stay inside their own topics;
/// people's tools log in with an API key and may watch their tenant. Telemetry becomes a
/// <see cref="DeviceMessage"/>, and its PUBACK waits until the pipeline has taken it. Answers to commands go to the
/// <see cref="MachineCommandPort"/>, which hands them to the feature that sent the command.
/// </summary>
internal sealed class PlatformGate(
    DeviceAuthenticator devices, ApiKeyVerifier keys, IDatabase database, TelemetryPipeline pipeline, SparkplugIngest sparkplug, MachineCommandPort commands, QuotaOptions quotas, TimeProvider clock)
    : MqttGate
{
    public override async ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken)
    {
        if (connect.UserName is not { Length: > 0 } user || connect.Password is not { } passwordBytes)
        {
            return ConnectVerdict.Refuse(ReasonCode.NotAuthorized, "log in with a device credential or an API key as the password");
        }

        var password = Encoding.UTF8.GetString(passwordBytes);
        if (password.StartsWith(Secrets.ApiKeyPrefix, StringComparison.Ordinal))
        {
            var (caller, refusal) = await keys.VerifyAsync(password, cancellationToken);
            if (caller?.TenantId is not { } tenantId)
            {
                return ConnectVerdict.Refuse(caller is null ? ReasonCode.BadUserNameOrPassword : ReasonCode.NotAuthorized,
                    refusal ?? "a platform key has no tenant to watch");
            }

            if (caller.Role == Role.Participant)
            {
                return ConnectVerdict.Refuse(ReasonCode.NotAuthorized, "an external participant's key opens only the makerspace");
            }

            await using var connection = await database.OpenAsync(cancellationToken);
            var slug = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT slug FROM tenants WHERE id = @tenantId", new { tenantId }, cancellationToken: cancellationToken));
            return ConnectVerdict.Accept(new KeyPrincipal(caller, slug!));
        }

        var device = await devices.AuthenticateAsync(user, password, cancellationToken);
        return device is null
            ? ConnectVerdict.Refuse(ReasonCode.BadUserNameOrPassword, "unknown device credential")
            : ConnectVerdict.Accept(device);
    }

    /// <summary>A client id names a session only within its owner: a machine or an API key.</summary>
    public override string SessionKey(MqttClient client) => client.Principal switch
    {
        // Per machine, not per credential: a rotated credential keeps the machine's session and its queued messages.
        DeviceIdentity device => $"device/{device.MachineId}/{client.ClientId}",
        KeyPrincipal key => $"key/{key.Caller.KeyId}/{client.ClientId}",
        _ => $"none/{client.ClientId}",
    };

    /// <summary>A tenant is one account: its devices' and keys' connections, sessions and retained messages count together.</summary>
    public override string? AccountOf(MqttClient client) => client.Principal switch
    {
        DeviceIdentity device => QuotaAccounts.Of(device.TenantId),
        KeyPrincipal key => key.Caller.TenantId is { } tenant ? QuotaAccounts.Of(tenant) : null,
        _ => null,
    };

    public override MqttAccountLimits LimitsOf(string account) => quotas.Broker;

    public override bool MaySubscribe(MqttClient client, string topicFilter) => client.Principal switch
    {
        DeviceIdentity device => TopicRules.DeviceMaySubscribe(device.TenantSlug, device.MachineName, topicFilter),
        KeyPrincipal key => TopicRules.TenantMaySubscribe(key.TenantSlug, topicFilter),
        _ => false,
    };

    public override bool MayPublish(MqttClient client, string topic) => client.Principal switch
    {
        DeviceIdentity device => TopicRules.DeviceMayPublish(device.TenantSlug, device.MachineName, topic),
        KeyPrincipal key => key.Caller.Role is Role.Operator or Role.TenantAdmin && TopicRules.TenantMayPublish(key.TenantSlug, topic),
        _ => false,
    };

    /// <summary>A device whose tenant floods the pipeline is read and parsed on the few threads backlogged tenants share.</summary>
    public override TaskScheduler? ReaderScheduler(MqttClient client) =>
        client.Principal is DeviceIdentity device ? pipeline.SchedulerFor(device.TenantId) : null;

    public override async ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
    {
        if (client.Principal is DeviceIdentity sparkplugNode && publish.Topic.StartsWith(TopicRules.SparkplugRoot + "/", StringComparison.Ordinal))
        {
            return await sparkplug.HandleAsync(sparkplugNode, publish.Topic, publish.Payload, cancellationToken);
        }

        if (client.Principal is DeviceIdentity answering && publish.Topic == answering.CommandAckTopic)
        {
            var verdict = commands.Receive(new MachineAck(answering.TenantId, answering.MachineId, answering.MachineName, publish.Payload));
            return verdict.Refusal is { } unanswerable
                ? PublishVerdict.Refuse(ReasonCode.PayloadFormatInvalid, unanswerable)
                : PublishVerdict.Accept;
        }

        if (client.Principal is not DeviceIdentity device || publish.Topic != device.TelemetryTopic)
        {
            return PublishVerdict.Accept;
        }

        var now = clock.GetUtcNow();
        List<Reading> readings;
        try
        {
            readings = TelemetryJson.Parse(publish.Payload.Span, now.ToUnixTimeMilliseconds());
        }
        catch (TelemetryFormatException e)
        {
            return PublishVerdict.Refuse(ReasonCode.PayloadFormatInvalid, e.Message);
        }

        // Waiting for room stops reading this client (back-pressure, not loss); the broker holds its PUBACK
        // until the commit, while it reads the client's next publishes.
        var admission = await pipeline.AdmitAsync(new DeviceMessage(device.TenantId, device.MachineId, "mqtt", now, readings), null, cancellationToken);
        return admission.Refusal is { } refusal
            ? PublishVerdict.Refuse(admission.Quota is null ? ReasonCode.PayloadFormatInvalid : ReasonCode.QuotaExceeded, refusal)
            : PublishVerdict.AcceptWhenDurable(admission.Stored!);
    }
}
