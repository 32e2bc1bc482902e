using RabbitMQ.Client;

namespace Millwright.Testing;

/// <summary>
/// The private RabbitMQ node test.sh starts (tests/rabbitmq.sh), named by MILLWRIGHT_TEST_AMQP. Tests keep apart
/// by naming their queues after a cluster of their own (<see cref="NewClusterName"/>) and delete them afterwards.
/// Without the broker the tests fail with a message saying why, never skip: a skipped cluster test would let a
/// broken transport pass CI.
/// </summary>
internal static class TestRabbitMq
{
    public const string Variable = "MILLWRIGHT_TEST_AMQP";

    public static Uri Uri =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? new Uri(value)
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the RabbitMQ tests cannot run. Run ./test.sh, which starts a private RabbitMQ node " +
                $"(tests/rabbitmq.sh), or set {Variable} to an amqp:// address of a broker whose guest user may declare queues.");

    /// <summary>A cluster name no other test uses, so its queues are its own.</summary>
    public static string NewClusterName() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>An address where nothing listens: a node started with it must retry, not fail.</summary>
    public static Uri Unreachable()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"amqp://guest:guest@127.0.0.1:{port}/");
    }

    /// <summary>Deletes the queues of a test's cluster (whatever of them exists).</summary>
    public static async Task DeleteQueuesAsync(params string[] queues)
    {
        await using var connection = await new ConnectionFactory { Uri = Uri }.CreateConnectionAsync();
        foreach (var queue in queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }
}
