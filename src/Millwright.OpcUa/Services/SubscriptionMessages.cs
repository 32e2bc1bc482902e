using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>Bodies of CreateSubscription, CreateMonitoredItems, Publish and Republish (OPC 10000-4 5.12, 5.13).</summary>
internal static class SubscriptionMessages
{
    /// <summary>RequestedPublishingInterval, RequestedLifetimeCount, RequestedMaxKeepAliveCount, MaxNotificationsPerPublish, PublishingEnabled, Priority.</summary>
    public static void WriteCreateSubscription(UaWriter w, TimeSpan interval, uint keepAliveCount)
    {
        w.WriteDouble(interval.TotalMilliseconds);
        w.WriteUInt32(keepAliveCount * 3); // the lifetime must be at least three keep-alives (5.13.2)
        w.WriteUInt32(keepAliveCount);
        w.WriteUInt32(0);
        w.WriteBoolean(true);
        w.WriteByte(0);
    }

    public static (uint Id, double Interval, uint KeepAlive) ReadCreateSubscription(UaReader r)
    {
        var id = r.ReadUInt32();
        var interval = r.ReadDouble();
        r.ReadUInt32();
        return (id, interval, r.ReadUInt32());
    }

    /// <summary>
    /// SubscriptionId, TimestampsToReturn Both, ItemsToCreate: the Value attribute, Reporting mode, a client handle,
    /// the sampling interval, a DataChangeFilter (StatusValue trigger, absolute deadband) when a deadband is asked, the queue size, discard oldest.
    /// </summary>
    public static void WriteCreateMonitoredItems(UaWriter w, uint subscriptionId, IReadOnlyList<(uint Handle, MonitoredItemRequest Item)> items)
    {
        w.WriteUInt32(subscriptionId);
        w.WriteEnum(2);
        w.WriteArray(items, (x, i) =>
        {
            x.WriteNodeId(i.Item.Node);
            x.WriteUInt32(AttributeId.Value);
            x.WriteString(null);
            x.WriteQualifiedName(new QualifiedName(0, null));
            x.WriteEnum(2);
            x.WriteUInt32(i.Handle);
            x.WriteDouble(i.Item.SamplingInterval.TotalMilliseconds);
            if (i.Item.AbsoluteDeadband > 0)
            {
                x.WriteExtensionObject(new NodeId(0, EncodingIds.DataChangeFilter), f =>
                {
                    f.WriteEnum(1);
                    f.WriteUInt32(1);
                    f.WriteDouble(i.Item.AbsoluteDeadband);
                });
            }
            else
            {
                x.WriteExtensionObject(ExtensionObject.Null);
            }

            x.WriteUInt32(i.Item.QueueSize);
            x.WriteBoolean(true);
        });
    }

    public static IReadOnlyList<(StatusCode Status, uint Id)> ReadCreateMonitoredItems(UaReader r)
    {
        var results = r.ReadList(x =>
        {
            var status = x.ReadStatusCode();
            var id = x.ReadUInt32();
            x.ReadDouble();
            x.ReadUInt32();
            x.ReadExtensionObject();
            return (status, id);
        });
        r.ReadList(x => x.ReadDiagnosticInfo());
        return results;
    }

    public static void WritePublish(UaWriter w, IReadOnlyList<(uint Subscription, uint Sequence)> acknowledgements) =>
        w.WriteArray(acknowledgements, (x, a) =>
        {
            x.WriteUInt32(a.Subscription);
            x.WriteUInt32(a.Sequence);
        });

    /// <summary>SubscriptionId, AvailableSequenceNumbers, MoreNotifications, NotificationMessage, Results, DiagnosticInfos.</summary>
    public static (uint Subscription, NotificationMessage Message) ReadPublish(UaReader r)
    {
        var subscription = r.ReadUInt32();
        r.ReadList(x => x.ReadUInt32());
        r.ReadBoolean();
        var message = ReadNotificationMessage(r);
        r.ReadList(x => x.ReadStatusCode());
        r.ReadList(x => x.ReadDiagnosticInfo());
        return (subscription, message);
    }

    public static void WriteRepublish(UaWriter w, uint subscriptionId, uint sequence)
    {
        w.WriteUInt32(subscriptionId);
        w.WriteUInt32(sequence);
    }

    /// <summary>SequenceNumber, PublishTime, NotificationData (ExtensionObjects): DataChangeNotifications are decoded, others skipped.</summary>
    public static NotificationMessage ReadNotificationMessage(UaReader r)
    {
        var sequence = r.ReadUInt32();
        var time = r.ReadDateTime();
        var data = r.ReadList(x => x.ReadExtensionObject());
        var changes = new List<(uint Handle, DataValue Value)>();
        foreach (var item in data)
        {
            if (item.TypeId is { NamespaceIndex: 0, Type: NodeIdType.Numeric, Numeric: EncodingIds.DataChangeNotification } && item.Body is { } body)
            {
                var inner = new UaReader(body, r.Limits);
                changes.AddRange(inner.ReadList(x => (x.ReadUInt32(), x.ReadDataValue())));
            }
        }

        return new NotificationMessage(sequence, time, data.Count == 0, changes);
    }
}
