using System.Globalization;
using Millwright.Mqtt.Server;

namespace Millwright.Api;

/// <summary>
/// What one tenant may hold or do, the same for every tenant; a platform admin changes them with
/// <c>--quota NAME=VALUE</c>. The defaults fit a large plant on one node and keep a runaway or hostile tenant
/// from filling the broker's memory or the store (see docs/quotas.md).
/// </summary>
internal sealed record QuotaOptions
{
    public static readonly QuotaOptions Default = new();

    public int Machines { get; init; } = 10_000;

    public int ApiKeys { get; init; } = 500;

    public int Webhooks { get; init; } = 50;

    /// <summary>Series one machine may have: its type's tags and the unknown tags it was allowed to store.</summary>
    public int SeriesPerMachine { get; init; } = 1_000;

    public int MqttConnections { get; init; } = 20_000;

    /// <summary>CONNECTs per second that passed authentication.</summary>
    public int MqttConnectRate { get; init; } = 500;

    public int PersistentSessions { get; init; } = 20_000;

    public int SubscriptionsPerSession { get; init; } = 100;

    public int RetainedMessages { get; init; } = 10_000;

    public long RetainedBytes { get; init; } = 64L << 20;

    /// <summary>Telemetry messages per second, MQTT and HTTP each; MQTT senders are slowed, HTTP ones told to retry.</summary>
    public int PublishRate { get; init; } = 20_000;

    /// <summary>Active shared-capacity offers (one per machine) and open shared-manufacturing requests.</summary>
    public int SharedOffers { get; init; } = 1_000;

    public int SharedRequests { get; init; } = 1_000;

    /// <summary>Instant quotes (rankings and bids) a tenant may ask for a minute; beyond it 429 with Retry-After.</summary>
    public int SharedQuoteRate { get; init; } = 120;

    /// <summary>Self-registrations (POST /api/v1/makerspace/register, anonymous) a minute from one client address, whatever the tenant; beyond it 429.</summary>
    public int RegisterRateAddress { get; init; } = 10;

    /// <summary>Self-registrations a minute with one invitation; beyond it 429.</summary>
    public int RegisterRateInvitation { get; init; } = 30;

    /// <summary>Ideas in the makerspace, hidden ones included (a hidden idea still holds its attachments).</summary>
    public int Ideas { get; init; } = 20_000;

    /// <summary>Embroidery designs stored (docs/embroidery.md).</summary>
    public int EmbroideryDesigns { get; init; } = 10_000;

    /// <summary>Made-to-measure customer profiles stored (docs/made-to-measure.md).</summary>
    public int C2mCustomers { get; init; } = 100_000;

    /// <summary>The quotas by their option names, in the order GET /api/v1/quotas lists them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "machines", "api-keys", "webhooks", "series-per-machine", "mqtt-connections", "mqtt-connect-rate",
        "persistent-sessions", "subscriptions-per-session", "retained-messages", "retained-bytes", "publish-rate",
        "shared-offers", "shared-requests", "shared-quote-rate", "ideas", "register-rate-address", "register-rate-invitation",
        "embroidery-designs",
        "c2m-customers",
    ];

    public long Limit(string name) => name switch
    {
        "machines" => Machines,
        "api-keys" => ApiKeys,
        "webhooks" => Webhooks,
        "series-per-machine" => SeriesPerMachine,
        "mqtt-connections" => MqttConnections,
        "mqtt-connect-rate" => MqttConnectRate,
        "persistent-sessions" => PersistentSessions,
        "subscriptions-per-session" => SubscriptionsPerSession,
        "retained-messages" => RetainedMessages,
        "retained-bytes" => RetainedBytes,
        "publish-rate" => PublishRate,
        "shared-offers" => SharedOffers,
        "shared-requests" => SharedRequests,
        "shared-quote-rate" => SharedQuoteRate,
        "ideas" => Ideas,
        "register-rate-address" => RegisterRateAddress,
        "register-rate-invitation" => RegisterRateInvitation,
        "embroidery-designs" => EmbroideryDesigns,
        "c2m-customers" => C2mCustomers,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such quota"),
    };

    /// <summary>These options with one <c>NAME=VALUE</c> applied, or an error naming what is wrong.</summary>
    public (QuotaOptions? Options, string? Error) With(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        var name = equals > 0 ? assignment[..equals].Trim() : assignment;
        if (equals <= 0 || !Names.Contains(name))
        {
            return (null, $"--quota takes NAME=VALUE with NAME one of {string.Join(", ", Names)}; got '{assignment}'");
        }

        if (!long.TryParse(assignment[(equals + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < 1 || (name != "retained-bytes" && value > int.MaxValue))
        {
            return (null, $"--quota {name}: the value must be a whole number from 1 to {(name == "retained-bytes" ? long.MaxValue : int.MaxValue)}");
        }

        var number = (int)Math.Min(value, int.MaxValue);
        return (name switch
        {
            "machines" => this with { Machines = number },
            "api-keys" => this with { ApiKeys = number },
            "webhooks" => this with { Webhooks = number },
            "series-per-machine" => this with { SeriesPerMachine = number },
            "mqtt-connections" => this with { MqttConnections = number },
            "mqtt-connect-rate" => this with { MqttConnectRate = number },
            "persistent-sessions" => this with { PersistentSessions = number },
            "subscriptions-per-session" => this with { SubscriptionsPerSession = number },
            "retained-messages" => this with { RetainedMessages = number },
            "retained-bytes" => this with { RetainedBytes = value },
            "shared-offers" => this with { SharedOffers = number },
            "shared-requests" => this with { SharedRequests = number },
            "shared-quote-rate" => this with { SharedQuoteRate = number },
            "ideas" => this with { Ideas = number },
            "register-rate-address" => this with { RegisterRateAddress = number },
            "register-rate-invitation" => this with { RegisterRateInvitation = number },
            "embroidery-designs" => this with { EmbroideryDesigns = number },
            "c2m-customers" => this with { C2mCustomers = number },
            _ => this with { PublishRate = number },
        }, null);
    }

    /// <summary>The broker's share of the quotas, for every tenant's account.</summary>
    public MqttAccountLimits Broker => new()
    {
        Connections = MqttConnections,
        ConnectRate = MqttConnectRate,
        PersistentSessions = PersistentSessions,
        SubscriptionsPerSession = SubscriptionsPerSession,
        RetainedMessages = RetainedMessages,
        RetainedBytes = RetainedBytes,
        PublishRate = PublishRate,
    };
}
