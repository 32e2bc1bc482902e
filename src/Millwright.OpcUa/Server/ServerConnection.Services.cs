using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa.Server;

/// <summary>The service bodies (OPC 10000-4): each reads its request after the header and writes its response.</summary>
internal sealed partial class ServerConnection
{
    private const int MaxOperations = 1000;

    /// <summary>CreateSession (5.6.2): ids, a nonce, and the one endpoint (None, anonymous); no certificate or signature under None.</summary>
    private UaWriter CreateSession(uint handle)
    {
        _authenticationToken = new NodeId(0, Guid.NewGuid());
        _activated = false;
        var w = ResponseStart(EncodingIds.CreateSessionResponse, handle, StatusCode.Good);
        w.WriteNodeId(new NodeId(1, Guid.NewGuid()));
        w.WriteNodeId(_authenticationToken);
        w.WriteDouble(60_000);
        w.WriteByteString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        w.WriteByteString(null);
        w.WriteArray([endpointUrl], WriteEndpoint);
        w.WriteArray<byte[]>([], (_, _) => { });
        w.WriteString(null);
        w.WriteByteString(null);
        w.WriteUInt32(Limits.MaxMessageSize);
        return w;
    }

    private static void WriteEndpoint(UaWriter w, string url)
    {
        w.WriteString(url);
        w.WriteString("urn:millwright:virtual-machine");
        w.WriteString("urn:millwright");
        w.WriteLocalizedText(new LocalizedText(null, "Millwright virtual machine"));
        w.WriteEnum(0); // Server
        w.WriteString(null);
        w.WriteString(null);
        w.WriteArray([url], (x, s) => x.WriteString(s));
        w.WriteByteString(null);
        w.WriteEnum(1); // MessageSecurityMode None
        w.WriteString(SecureChunk.NonePolicy);
        w.WriteArray(["anonymous"], (x, id) =>
        {
            x.WriteString(id);
            x.WriteEnum(0); // Anonymous
            x.WriteString(null);
            x.WriteString(null);
            x.WriteString(null);
        });
        w.WriteString("http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary");
        w.WriteByte(0);
    }

    /// <summary>ActivateSession (5.6.3): only the anonymous token of the session this channel created.</summary>
    private UaWriter ActivateSession(UaReader r, (NodeId Token, uint Handle) header)
    {
        r.ReadString();
        r.ReadByteString();
        r.ReadList(x => (x.ReadByteString(), x.ReadByteString()));
        r.ReadList(x => x.ReadString());
        var identity = r.ReadExtensionObject();
        if (_authenticationToken is null || header.Token != _authenticationToken)
        {
            return ResponseStart(EncodingIds.ServiceFault, header.Handle, StatusCode.BadSessionIdInvalid);
        }

        if (identity.TypeId != new NodeId(0, EncodingIds.AnonymousIdentityToken))
        {
            return ResponseStart(EncodingIds.ServiceFault, header.Handle, StatusCode.BadIdentityTokenInvalid);
        }

        _activated = true;
        var w = ResponseStart(EncodingIds.ActivateSessionResponse, header.Handle, StatusCode.Good);
        w.WriteByteString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        w.WriteArray<StatusCode>([], (x, s) => x.WriteStatusCode(s));
        w.WriteArray<DiagnosticInfo>([], (_, _) => { });
        return w;
    }

    private UaWriter CloseSession(uint handle)
    {
        _activated = false;
        _authenticationToken = null;
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
        return ResponseStart(EncodingIds.CloseSessionResponse, handle, StatusCode.Good);
    }

    /// <summary>Read (5.10.2): the Value attribute of a variable; another attribute is BadAttributeIdInvalid.</summary>
    private UaWriter Read(UaReader r, uint handle)
    {
        r.ReadDouble();
        r.ReadEnum();
        var nodes = r.ReadList(ReadValueId);
        if (nodes.Count > MaxOperations)
        {
            return ResponseStart(EncodingIds.ServiceFault, handle, StatusCode.BadTooManyOperations);
        }

        var w = ResponseStart(EncodingIds.ReadResponse, handle, StatusCode.Good);
        w.WriteArray(nodes, (x, n) => x.WriteDataValue(
            space.Get(n.Node) is not { } value ? new DataValue(Variant.Null, StatusCode.BadNodeIdUnknown)
            : n.Attribute == AttributeId.Value ? value
            : new DataValue(Variant.Null, StatusCode.BadAttributeIdInvalid)));
        w.WriteArray<DiagnosticInfo>([], (_, _) => { });
        return w;
    }

    /// <summary>Write (5.10.4): the machine's values are its own, so every known node answers BadNotWritable.</summary>
    private UaWriter Write(UaReader r, uint handle)
    {
        var nodes = r.ReadList(x =>
        {
            var (node, _) = ReadValueId(x);
            x.ReadDataValue();
            return node;
        });
        var w = ResponseStart(EncodingIds.WriteResponse, handle, StatusCode.Good);
        w.WriteArray(nodes, (x, n) => x.WriteStatusCode(space.IsVariable(n) ? StatusCode.BadNotWritable : StatusCode.BadNodeIdUnknown));
        w.WriteArray<DiagnosticInfo>([], (_, _) => { });
        return w;
    }

    /// <summary>Call (5.11.2): each method's outcome from its handler.</summary>
    private UaWriter Call(UaReader r, uint handle)
    {
        var calls = r.ReadList(x => (Object: x.ReadNodeId(), Method: x.ReadNodeId(), Inputs: x.ReadList(y => y.ReadVariant())));
        if (calls.Count > MaxOperations)
        {
            return ResponseStart(EncodingIds.ServiceFault, handle, StatusCode.BadTooManyOperations);
        }

        var outcomes = calls.Select(c => space.Call(c.Object, c.Method, c.Inputs)).ToList();
        var w = ResponseStart(EncodingIds.CallResponse, handle, StatusCode.Good);
        w.WriteArray(outcomes, (x, o) =>
        {
            x.WriteStatusCode(o.Status);
            x.WriteArray(o.InputResults?.ToList() ?? [], (y, s) => y.WriteStatusCode(s));
            x.WriteArray<DiagnosticInfo>([], (_, _) => { });
            x.WriteArray(o.Outputs.ToList(), (y, v) => y.WriteVariant(v));
        });
        w.WriteArray<DiagnosticInfo>([], (_, _) => { });
        return w;
    }

    /// <summary>CreateSubscription (5.13.2): one subscription a session is all a machine's client makes; more are allowed.</summary>
    private UaWriter CreateSubscription(UaReader r, uint handle)
    {
        var requested = r.ReadDouble();
        var interval = double.IsFinite(requested) ? Math.Clamp(requested, 50, 3_600_000) : 1000; // NaN or infinity: the default
        var lifetime = r.ReadUInt32();
        var keepAlive = Math.Clamp(r.ReadUInt32(), 1u, 1000u);
        var subscription = new ServerSubscription(++_nextSubscription, TimeSpan.FromMilliseconds(interval), keepAlive);
        _subscriptions[subscription.Id] = subscription;
        var w = ResponseStart(EncodingIds.CreateSubscriptionResponse, handle, StatusCode.Good);
        w.WriteUInt32(subscription.Id);
        w.WriteDouble(interval);
        w.WriteUInt32(Math.Max(lifetime, keepAlive * 3));
        w.WriteUInt32(keepAlive);
        return w;
    }

    /// <summary>CreateMonitoredItems (5.12.2): the Value of known variables, with an absolute deadband if one is asked.</summary>
    private UaWriter CreateMonitoredItems(UaReader r, uint handle)
    {
        var id = r.ReadUInt32();
        r.ReadEnum();
        var items = r.ReadList(x =>
        {
            var (node, attribute) = ReadValueId(x);
            x.ReadEnum();
            var clientHandle = x.ReadUInt32();
            var sampling = x.ReadDouble();
            var filter = x.ReadExtensionObject();
            var queue = x.ReadUInt32();
            x.ReadBoolean();
            return (Node: node, Attribute: attribute, ClientHandle: clientHandle, Sampling: sampling, Deadband: AbsoluteDeadband(filter), Queue: queue);
        });
        if (!_subscriptions.TryGetValue(id, out var subscription))
        {
            return ResponseStart(EncodingIds.ServiceFault, handle, StatusCode.BadSubscriptionIdInvalid);
        }

        var w = ResponseStart(EncodingIds.CreateMonitoredItemsResponse, handle, StatusCode.Good);
        w.WriteArray(items, (x, i) =>
        {
            var status = !space.IsVariable(i.Node) ? StatusCode.BadNodeIdUnknown
                : i.Attribute != AttributeId.Value ? StatusCode.BadAttributeIdInvalid
                : StatusCode.Good;
            x.WriteStatusCode(status);
            x.WriteUInt32(status.IsGood ? subscription.Monitor(i.Node, i.ClientHandle, i.Deadband) : 0);
            x.WriteDouble(subscription.Interval.TotalMilliseconds); // values are sampled once per publishing interval
            x.WriteUInt32(1);
            x.WriteExtensionObject(ExtensionObject.Null);
        });
        w.WriteArray<DiagnosticInfo>([], (_, _) => { });
        return w;
    }

    private UaWriter DeleteSubscriptions(UaReader r, uint handle)
    {
        var ids = r.ReadList(x => x.ReadUInt32());
        var w = ResponseStart(EncodingIds.DeleteSubscriptionsResponse, handle, StatusCode.Good);
        w.WriteArray(ids, (x, id) =>
        {
            var found = _subscriptions.Remove(id, out var subscription);
            subscription?.Dispose();
            x.WriteStatusCode(found ? StatusCode.Good : StatusCode.BadSubscriptionIdInvalid);
        });
        w.WriteArray<DiagnosticInfo>([], (_, _) => { });
        return w;
    }

    /// <summary>ReadValueId (7.29): NodeId, AttributeId, IndexRange, DataEncoding.</summary>
    private static (NodeId Node, uint Attribute) ReadValueId(UaReader r)
    {
        var node = r.ReadNodeId();
        var attribute = r.ReadUInt32();
        r.ReadString();
        r.ReadQualifiedName();
        return (node, attribute);
    }

    /// <summary>A DataChangeFilter's (7.22.2) absolute deadband (type 1); none for anything else.</summary>
    private static double AbsoluteDeadband(ExtensionObject filter)
    {
        if (filter.TypeId != new NodeId(0, EncodingIds.DataChangeFilter) || filter.Body is not { } body)
        {
            return 0;
        }

        var r = new UaReader(body);
        r.ReadEnum();
        var type = r.ReadUInt32();
        var value = r.ReadDouble();
        return type == 1 && double.IsFinite(value) && value > 0 ? value : 0;
    }
}
