using System.Net.Sockets;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Simulator.Provisioning;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// Checks, before a few hundred machines try, that the broker answers, takes the key, and that the tenant slug
/// is the key's own: the platform lets a key subscribe only under its tenant, so a refused SUBACK means a
/// wrong <c>--tenant</c>.
/// </summary>
internal static class BrokerProbe
{
    public static async Task CheckAsync(BrokerAddress broker, string key, CancellationToken cancellationToken)
    {
        var options = new MqttClientOptions(broker.Host, broker.Port, $"simulator-probe-{Guid.NewGuid():N}")
        {
            UserName = "simulator",
            Password = key,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        MqttClientConnection connection;
        try
        {
            connection = await MqttClientConnection.ConnectAsync(options, null, cancellationToken);
        }
        catch (MqttConnectException e)
        {
            throw new ProvisioningException(ProvisioningFailure.Unauthorized, $"the broker at {broker.Host}:{broker.Port} refused the key: {e.Reason}", e);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ProvisioningException(ProvisioningFailure.Unreachable, $"the broker at {broker.Host}:{broker.Port} does not answer: {e.Message}", e);
        }

        try
        {
            var granted = await connection.SubscribeAsync($"mw/{broker.Tenant}/+/telemetry", QualityOfService.AtMostOnce, cancellationToken);
            if (granted is not [var code] || code >= ReasonCode.UnspecifiedError)
            {
                throw new ProvisioningException(ProvisioningFailure.Unauthorized,
                    $"the key does not belong to tenant '{broker.Tenant}' (the broker refused its topics); pass the key's tenant with --tenant");
            }
        }
        finally
        {
            await connection.DisconnectAsync();
        }
    }
}
