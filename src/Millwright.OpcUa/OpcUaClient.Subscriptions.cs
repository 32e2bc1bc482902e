using Millwright.OpcUa.Services;

namespace Millwright.OpcUa;

/// <summary>Subscriptions and monitored items (OPC 10000-4 5.12, 5.13).</summary>
internal sealed partial class OpcUaClient
{
    /// <summary>
    /// Creates a subscription publishing every <paramref name="interval"/>. The keep-alive count is bounded so that a
    /// quiet subscription's Publish is answered well within the request timeout.
    /// </summary>
    public async Task<OpcUaSubscription> SubscribeAsync(TimeSpan interval, uint? keepAliveCount = null, CancellationToken ct = default)
    {
        var bound = (uint)Math.Clamp(_options.RequestTimeout.TotalMilliseconds / 2 / Math.Max(interval.TotalMilliseconds, 1), 1, 100);
        var keepAlive = Math.Min(keepAliveCount ?? bound, bound);
        var (id, revised, _) = await RequestAsync(EncodingIds.CreateSubscriptionRequest, w => SubscriptionMessages.WriteCreateSubscription(w, interval, keepAlive),
            EncodingIds.CreateSubscriptionResponse, "CreateSubscription", SubscriptionMessages.ReadCreateSubscription, ct);
        return new OpcUaSubscription(this, id, TimeSpan.FromMilliseconds(revised));
    }

    internal Task<IReadOnlyList<(StatusCode Status, uint Id)>> CreateMonitoredItemsAsync(uint subscription, IReadOnlyList<(uint Handle, MonitoredItemRequest Item)> items, CancellationToken ct) =>
        RequestAsync(EncodingIds.CreateMonitoredItemsRequest, w => SubscriptionMessages.WriteCreateMonitoredItems(w, subscription, items),
            EncodingIds.CreateMonitoredItemsResponse, "CreateMonitoredItems", SubscriptionMessages.ReadCreateMonitoredItems, ct);

    internal Task<(uint Subscription, NotificationMessage Message)> PublishAsync(IReadOnlyList<(uint Subscription, uint Sequence)> acknowledgements, CancellationToken ct) =>
        RequestAsync(EncodingIds.PublishRequest, w => SubscriptionMessages.WritePublish(w, acknowledgements),
            EncodingIds.PublishResponse, "Publish", SubscriptionMessages.ReadPublish, ct);

    internal Task<NotificationMessage> RepublishAsync(uint subscription, uint sequence, CancellationToken ct) =>
        RequestAsync(EncodingIds.RepublishRequest, w => SubscriptionMessages.WriteRepublish(w, subscription, sequence),
            EncodingIds.RepublishResponse, "Republish", SubscriptionMessages.ReadNotificationMessage, ct);
}
