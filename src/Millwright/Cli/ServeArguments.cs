using System.CommandLine;
using Millwright.Hosting;

namespace Millwright.Cli;

/// <summary>The options of every command that runs the platform (<c>serve</c>, <c>demo</c>).</summary>
internal sealed class ServeArguments
{
    private readonly StoreArguments _store = new();
    private readonly MqttLimitOptions _limits = new();
    private readonly LiveLimitOptions _live = new();
    private readonly Option<string> _http = EndPointOption.Create("--http", "Address for the HTTP API and dashboard, host:port", ServeOptions.DefaultHttp);
    private readonly Option<string> _mqtt = EndPointOption.Create("--mqtt", "Address for MQTT devices, host:port", ServeOptions.DefaultMqtt);
    private readonly Option<string?> _metrics = new("--metrics")
    {
        Description = "Also serve /metrics WITHOUT a key on this host:port (loopback or a private network only); /metrics on --http needs the platform admin key",
    };
    private readonly Option<bool> _noMqtt = new("--no-mqtt") { Description = "Run without the MQTT listener" };
    private readonly Option<string?> _mqttTls = new("--mqtt-tls") { Description = "Address for MQTT over TLS, host:port (needs --tls-cert and --tls-key)" };
    private readonly Option<FileInfo?> _cert = new("--tls-cert") { Description = "PEM certificate for the TLS listener" };
    private readonly Option<FileInfo?> _key = new("--tls-key") { Description = "PEM private key for the TLS listener" };
    private readonly Option<string[]> _egressAllow = new("--egress-allow")
    {
        Description = "Let tenants' Modbus connections and webhooks reach a network the platform otherwise refuses (loopback, private, link-local, "
            + "CGNAT, metadata): [TENANT=]CIDR[:PORT[-PORT]], IPv6 in brackets (acme=[fd00::]/8:502); without TENANT= for every tenant; repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _cluster = new("--cluster")
    {
        Description = "Run as a node of the named cluster (needs --db PostgreSQL): nodes share machine ownership through leases in the store (docs/cluster.md)",
    };

    private readonly Option<string?> _amqp = new("--amqp")
    {
        Description = "With --cluster: the RabbitMQ broker (amqp://user:password@host:port/vhost) through which nodes forward telemetry to the store's appender",
    };

    private readonly Option<string[]> _quota = new("--quota")
    {
        Description = "A per-tenant quota, NAME=VALUE (repeatable): " + string.Join(", ", Api.QuotaOptions.Names) + " (defaults in docs/quotas.md)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>A command with these options that reports a bad option as a usage error before running.</summary>
    public Command CreateCommand(string name, string description, Func<ServeOptions, CancellationToken, Task<int>> run) =>
        CreateCommand(name, description, (options, _, ct) => run(options, ct));

    /// <summary>The same, for a command that adds options of its own and reads them from the parse result.</summary>
    public Command CreateCommand(string name, string description, Func<ServeOptions, ParseResult, CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description);
        AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var (options, error) = Read(result);
            if (options is null)
            {
                await Console.Error.WriteLineAsync($"millwright: {error}");
                return ExitCodes.Usage;
            }

            return await run(options, result, ct);
        });
        return command;
    }

    private void AddTo(Command command)
    {
        command.Options.Add(_http);
        command.Options.Add(_mqtt);
        command.Options.Add(_noMqtt);
        command.Options.Add(_mqttTls);
        command.Options.Add(_cert);
        command.Options.Add(_key);
        command.Options.Add(_egressAllow);
        command.Options.Add(_metrics);
        command.Options.Add(_quota);
        command.Options.Add(_cluster);
        command.Options.Add(_amqp);
        _store.AddTo(command);
        _limits.AddTo(command);
        _live.AddTo(command);
    }

    /// <summary>The options, or a message saying which option is wrong.</summary>
    private (ServeOptions? Options, string? Error) Read(ParseResult result)
    {
        var (limits, error) = _limits.Read(result);
        if (limits is null)
        {
            return (null, error);
        }

        var (live, liveError) = _live.Read(result);
        if (live is null)
        {
            return (null, liveError);
        }

        MqttTlsOptions? tls = null;
        if (result.GetValue(_mqttTls) is { } tlsAddress)
        {
            if (ServeOptions.TryParseEndPoint(tlsAddress, out var tlsEndPoint) is { } bad)
            {
                return (null, $"--mqtt-tls: {bad}");
            }

            if (result.GetValue(_cert) is not { Exists: true } cert || result.GetValue(_key) is not { Exists: true } key)
            {
                return (null, "--mqtt-tls needs --tls-cert and --tls-key naming existing PEM files");
            }

            tls = new MqttTlsOptions(tlsEndPoint, cert.FullName, key.FullName);
        }

        System.Net.IPEndPoint? metrics = null;
        if (result.GetValue(_metrics) is { } metricsAddress)
        {
            if (ServeOptions.TryParseEndPoint(metricsAddress, out var metricsEndPoint) is { } bad)
            {
                return (null, $"--metrics: {bad}");
            }

            metrics = metricsEndPoint;
        }

        var egress = new Security.EgressOptions();
        foreach (var text in result.GetValue(_egressAllow) ?? [])
        {
            if (Security.EgressRule.TryParse(text, out var rule) is { } bad)
            {
                return (null, $"--egress-allow: {bad}");
            }

            egress = egress.With(rule);
        }

        var quotas = Api.QuotaOptions.Default;
        foreach (var assignment in result.GetValue(_quota) ?? [])
        {
            var (changed, quotaError) = quotas.With(assignment);
            if (changed is null)
            {
                return (null, quotaError);
            }

            quotas = changed;
        }

        var store = _store.Read(result);
        Features.Cluster.ClusterOptions? cluster = null;
        if (result.GetValue(_cluster) is { } clusterName)
        {
            if (Features.Cluster.ClusterOptions.Validate(clusterName) is { } bad)
            {
                return (null, bad);
            }

            if (store.PostgresConnectionString is null)
            {
                return (null, "--cluster needs --db with a PostgreSQL connection string: a cluster's nodes share ownership through PostgreSQL, and the embedded SQLite store is one node's file");
            }

            if (result.GetValue(_amqp) is not { } amqp)
            {
                return (null, "--cluster needs --amqp with the RabbitMQ broker's address (amqp://host:5672/): the nodes forward telemetry to the store's one appender through it");
            }

            if (!Uri.TryCreate(amqp, UriKind.Absolute, out var broker) || broker.Scheme is not ("amqp" or "amqps"))
            {
                return (null, $"--amqp: '{amqp}' is not an amqp:// or amqps:// address");
            }

            cluster = new Features.Cluster.ClusterOptions(clusterName, Features.Cluster.ClusterOptions.NewNodeId()) { Amqp = broker };
        }
        else if (result.GetValue(_amqp) is not null)
        {
            return (null, "--amqp needs --cluster: a single node forwards nothing");
        }

        return (new ServeOptions(EndPointOption.Read(result, _http), store)
        {
            Cluster = cluster,
            Egress = egress,
            Metrics = metrics,
            Quotas = quotas,
            Mqtt = result.GetValue(_noMqtt) ? null : EndPointOption.Read(result, _mqtt),
            MqttTls = tls,
            MqttLimits = limits,
            Live = live,
        }, null);
    }
}
