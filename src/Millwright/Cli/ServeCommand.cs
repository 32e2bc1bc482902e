using System.CommandLine;
using Millwright.Hosting;

namespace Millwright.Cli;

/// <summary><c>millwright serve</c>: the platform's HTTP API on the embedded store or PostgreSQL.</summary>
internal static class ServeCommand
{
    public static Command Create() =>
        new ServeArguments().CreateCommand("serve", "Run the platform: REST API on --http, MQTT on --mqtt, state in the store",
            (options, ct) => RunAsync(options, Console.Out, ct));

    /// <summary>
    /// Serves until stopped; <paramref name="alongside"/>, if given, runs once the platform listens (with the platform's
    /// open store, so it need not open a second one, and its services) and is cancelled when it stops.
    /// </summary>
    public static async Task<int> RunAsync(ServeOptions options, TextWriter output, CancellationToken cancellationToken, bool printCurlTour = false,
        Func<Storage.IDatabase, IServiceProvider, CancellationToken, Task>? alongside = null, TextWriter? errors = null)
    {
        Storage.IDatabase database;
        try
        {
            database = await OpenStoreAsync(options, errors ?? Console.Error, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"millwright: {e.Message}");
            return ExitCodes.StoreUnavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.StoreUnavailable;
        }

        await using (database)
        {
            if (options.Cluster is null)
            {
                try
                {
                    await Features.Cluster.ClusterNode.RefuseIfClusteredAsync(database, TimeProvider.System, cancellationToken);
                }
                catch (Features.Cluster.ClusterMismatchException e)
                {
                    await Console.Error.WriteLineAsync($"millwright: {e.Message}");
                    return ExitCodes.StoreUnavailable;
                }
            }

            if (await PlatformBootstrap.EnsurePlatformKeyAsync(database, options.Store.DataDirectory, TimeProvider.System, cancellationToken) is { } keyFile)
            {
                await output.WriteLineAsync($"First start: created the platform admin key. It is shown once here and kept in {keyFile} (mode 600):");
                await output.WriteLineAsync("  " + await KeyFile.ReadAsync(keyFile));
            }

            await using var app = MillwrightApp.Build(options, database);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                var message = e.Message.StartsWith("cannot listen", StringComparison.Ordinal) ? e.Message : $"cannot listen on {options.Http}: {e.Message}";
                await Console.Error.WriteLineAsync($"millwright: {message}");
                return ExitCodes.ListenFailed;
            }
            catch (Features.Cluster.ClusterMismatchException e)
            {
                await Console.Error.WriteLineAsync($"millwright: {e.Message}");
                return ExitCodes.StoreUnavailable;
            }

            var mqtt = options.Mqtt is null ? "off" : $"mqtt://{options.Mqtt}";
            if (options.MqttTls is { } tls)
            {
                mqtt += $", mqtts://{tls.EndPoint}";
            }

            await output.WriteLineAsync($"Millwright is serving http://{options.Http}, MQTT {mqtt} (store: {database.Provider} {database.Describe()}). Ctrl+C stops it.");
            await output.WriteLineAsync($"Dashboard: http://{options.Http}/dashboard (sign in with an API key of a tenant)");
            await output.WriteLineAsync($"Data: {options.Store.DataDirectory}");
            if (options.Metrics is { } metrics)
            {
                await output.WriteLineAsync($"Metrics: http://{metrics}/metrics (no key: keep this address on loopback or a private network)");
            }

            if (printCurlTour)
            {
                await output.WriteLineAsync($"KEY=$(cat {Path.Combine(options.Store.DataDirectory, DemoCommand.TenantKeyFileName)})");
                await output.WriteLineAsync($"Try: curl -sf -H \"X-Api-Key: $KEY\" http://{options.Http}/api/v1/machines");
                await output.WriteLineAsync($"API description: http://{options.Http}/openapi/v1.json");
            }

            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
            var companion = alongside is null ? Task.CompletedTask : Task.Run(() => alongside(database, app.Services, stopping.Token), CancellationToken.None);
            await app.WaitForShutdownAsync(cancellationToken);
            await stopping.CancelAsync();
            await companion;
            return ExitCodes.Ok;
        }
    }

    /// <summary>
    /// Opens the store. A cluster node whose PostgreSQL cannot be reached (not started yet, restarting, the network)
    /// tries again with back-off (1 s doubling to 30 s), saying why and when on <paramref name="errors"/>, until it
    /// opens or the node is stopped: nodes and their database are often started together. A single node, and an
    /// error that waiting does not mend (a refused password, a schema too new), fail at once. Meanwhile the node's
    /// HTTP address answers /health with 503 and the attempt (<see cref="WaitingHealth"/>).
    /// </summary>
    private static async Task<Storage.IDatabase> OpenStoreAsync(ServeOptions options, TextWriter errors, CancellationToken cancellationToken)
    {
        var backoff = new Reconnect.ReconnectBackoff(new Reconnect.BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, TimeSpan.FromSeconds(30)));
        WaitingHealth? health = null;
        try
        {
            while (true)
            {
                try
                {
                    return await options.Store.OpenAsync(cancellationToken);
                }
                catch (StoreUnavailableException e) when (options.Cluster is not null && Unreachable(e.InnerException))
                {
                    var wait = backoff.Failed();
                    var problem = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{e.Message}; retrying in {wait.TotalSeconds:0.#} s (attempt {backoff.Failures})");
                    await errors.WriteLineAsync($"millwright: {problem}");
                    health ??= await WaitingHealth.StartAsync(options.Http, cancellationToken);
                    // Unauthenticated: the reason without the store's address (standard error has it all).
                    health?.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"the store cannot be reached yet; retrying in {wait.TotalSeconds:0.#} s (attempt {backoff.Failures})"));
                    await Task.Delay(wait, cancellationToken);
                }
            }
        }
        finally
        {
            if (health is not null)
            {
                await health.DisposeAsync();
            }
        }
    }

    private static bool Unreachable(Exception? e) =>
        e is System.Net.Sockets.SocketException or TimeoutException || e is System.Data.Common.DbException { IsTransient: true }
        || e?.InnerException is System.Net.Sockets.SocketException or TimeoutException;
}
