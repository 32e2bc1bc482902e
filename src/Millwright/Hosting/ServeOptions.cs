using System.Net;

namespace Millwright.Hosting;

/// <summary>The options of the HTTP host, validated once when the command line is parsed.</summary>
internal sealed record ServeOptions(IPEndPoint Http, StoreOptions Store)
{
    public const string DefaultHttp = "127.0.0.1:5080";
    public const string DefaultMqtt = "127.0.0.1:1883";

    /// <summary>The plain MQTT listener; null runs without one.</summary>
    public IPEndPoint? Mqtt { get; init; }

    public MqttTlsOptions? MqttTls { get; init; }

    /// <summary>A listener serving only <c>/metrics</c>, without a key (<c>--metrics</c>); null runs without one.</summary>
    public IPEndPoint? Metrics { get; init; }

    public Mqtt.Server.MqttServerOptions MqttLimits { get; init; } = new();

    public Features.Telemetry.TelemetryOptions Telemetry { get; init; } = new();

    public Features.Live.LiveOptions Live { get; init; } = new();

    public Features.Alarms.AlarmOptions Alarms { get; init; } = new();

    public Features.Production.ProductionOptions Production { get; init; } = new();

    public Features.Anomalies.AnomalyOptions Anomalies { get; init; } = new();

    public Features.Fleet.FleetOptions Fleet { get; init; } = new();

    public Features.Erp.ErpOptions Erp { get; init; } = new();

    /// <summary>The operator's openings in the egress policy (<c>--egress-allow</c>).</summary>
    public Security.EgressOptions Egress { get; init; } = new();

    public Api.QuotaOptions Quotas { get; init; } = Api.QuotaOptions.Default;

    /// <summary>Cluster mode (<c>--cluster</c>, PostgreSQL only); null runs the single node as before.</summary>
    public Features.Cluster.ClusterOptions? Cluster { get; init; }

    /// <summary>
    /// How often every MQTT client is checked against the store again; changes made through this node are
    /// acted on at once, this catches the rest (another node, a change made straight in the store).
    /// </summary>
    public TimeSpan AccessRecheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest request body accepted; registry objects are small, so 1 MiB is generous.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>Parses host:port (IPv4, [IPv6] or localhost) and returns an error message or null.</summary>
    public static string? TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
        {
            return $"'{text}' is not host:port (for example 127.0.0.1:5080)";
        }

        var host = text[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
            return null;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return $"'{host}' is not an IP address or localhost";
        }

        endPoint = new IPEndPoint(address, port);
        return null;
    }
}
