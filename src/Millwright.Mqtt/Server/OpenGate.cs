using System.Net;
using System.Security.Cryptography;
using System.Text;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// The standalone broker's gate: anyone may connect when anonymous access is allowed, otherwise only the
/// configured users; every client may publish and subscribe anywhere, as on a plant's local broker.
/// </summary>
public sealed class OpenGate(bool allowAnonymous, IReadOnlyDictionary<string, string>? users = null) : MqttGate
{
    public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken)
    {
        if (connect.UserName is null)
        {
            return ValueTask.FromResult(allowAnonymous
                ? ConnectVerdict.Accept()
                : ConnectVerdict.Refuse(ReasonCode.NotAuthorized, "anonymous clients are not allowed"));
        }

        if (users is not null && users.TryGetValue(connect.UserName, out var password))
        {
            var given = connect.Password ?? [];
            return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(password))
                ? ConnectVerdict.Accept(connect.UserName)
                : ConnectVerdict.Refuse(ReasonCode.BadUserNameOrPassword, "bad user name or password"));
        }

        return ValueTask.FromResult(allowAnonymous
            ? ConnectVerdict.Accept()
            : ConnectVerdict.Refuse(ReasonCode.BadUserNameOrPassword, "bad user name or password"));
    }

    public override bool MaySubscribe(MqttClient client, string topicFilter) => true;

    public override ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PublishVerdict.Accept);
}
