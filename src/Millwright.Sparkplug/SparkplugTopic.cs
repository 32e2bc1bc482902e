namespace Millwright.Sparkplug;

/// <summary>
/// A Sparkplug B topic (specification 4.1): <c>spBv1.0/{group_id}/{message_type}/{edge_node_id}[/{device_id}]</c>,
/// or <c>spBv1.0/STATE/{host_id}</c> for a host application's state (4.3). For STATE topics
/// <see cref="GroupId"/> and <see cref="EdgeNodeId"/> are empty and <see cref="HostId"/> is set.
/// </summary>
public sealed record SparkplugTopic
{
    /// <summary>4.1.1: the namespace element of Sparkplug B.</summary>
    public const string Namespace = "spBv1.0";

    private SparkplugTopic(SparkplugMessageType messageType, string groupId, string edgeNodeId, string? deviceId, string? hostId)
    {
        MessageType = messageType;
        GroupId = groupId;
        EdgeNodeId = edgeNodeId;
        DeviceId = deviceId;
        HostId = hostId;
    }

    public SparkplugMessageType MessageType { get; }

    public string GroupId { get; }

    public string EdgeNodeId { get; }

    public string? DeviceId { get; }

    public string? HostId { get; }

    public bool IsDeviceMessage => DeviceId is not null;

    /// <summary>NBIRTH, NDEATH, NDATA and NCMD topics (4.1.5: these carry no device_id).</summary>
    public static SparkplugTopic ForNode(SparkplugMessageType type, string groupId, string edgeNodeId)
    {
        if (!IsNodeType(type))
        {
            throw new SparkplugProtocolException($"{Name(type)} is not an edge node message type.");
        }

        return new SparkplugTopic(type, CheckId(groupId, "group_id"), CheckId(edgeNodeId, "edge_node_id"), null, null);
    }

    /// <summary>DBIRTH, DDEATH, DDATA and DCMD topics (4.1.5: these must carry a device_id).</summary>
    public static SparkplugTopic ForDevice(SparkplugMessageType type, string groupId, string edgeNodeId, string deviceId)
    {
        if (!IsDeviceType(type))
        {
            throw new SparkplugProtocolException($"{Name(type)} is not a device message type.");
        }

        return new SparkplugTopic(
            type, CheckId(groupId, "group_id"), CheckId(edgeNodeId, "edge_node_id"), CheckId(deviceId, "device_id"), null);
    }

    public static SparkplugTopic ForHostState(string hostId) =>
        new(SparkplugMessageType.State, string.Empty, string.Empty, null, CheckId(hostId, "host_id"));

    public static SparkplugTopic Parse(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var parts = topic.Split('/');
        if (parts[0] != Namespace)
        {
            throw new SparkplugProtocolException($"Topic '{topic}' is not in the {Namespace} namespace (4.1.1).");
        }

        if (parts.Length == 3 && parts[1] == "STATE")
        {
            return ForHostState(parts[2]);
        }

        if (parts.Length is < 4 or > 5)
        {
            throw new SparkplugProtocolException(
                $"Topic '{topic}' must be {Namespace}/group_id/message_type/edge_node_id[/device_id] (4.1).");
        }

        var type = ParseType(parts[2]);
        return parts.Length == 4
            ? ForNode(type, parts[1], parts[3])
            : ForDevice(type, parts[1], parts[3], parts[4]);
    }

    public static bool TryParse(string topic, out SparkplugTopic? result)
    {
        try
        {
            result = Parse(topic);
            return true;
        }
        catch (SparkplugProtocolException)
        {
            result = null;
            return false;
        }
    }

    public static string Name(SparkplugMessageType type) => type switch
    {
        SparkplugMessageType.NBirth => "NBIRTH",
        SparkplugMessageType.NDeath => "NDEATH",
        SparkplugMessageType.DBirth => "DBIRTH",
        SparkplugMessageType.DDeath => "DDEATH",
        SparkplugMessageType.NData => "NDATA",
        SparkplugMessageType.DData => "DDATA",
        SparkplugMessageType.NCmd => "NCMD",
        SparkplugMessageType.DCmd => "DCMD",
        SparkplugMessageType.State => "STATE",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public override string ToString() => MessageType == SparkplugMessageType.State
        ? $"{Namespace}/STATE/{HostId}"
        : DeviceId is null
            ? $"{Namespace}/{GroupId}/{Name(MessageType)}/{EdgeNodeId}"
            : $"{Namespace}/{GroupId}/{Name(MessageType)}/{EdgeNodeId}/{DeviceId}";

    private static SparkplugMessageType ParseType(string element) => element switch
    {
        // 5.2: Sparkplug is case sensitive, so "nbirth" is not a message type.
        "NBIRTH" => SparkplugMessageType.NBirth,
        "NDEATH" => SparkplugMessageType.NDeath,
        "DBIRTH" => SparkplugMessageType.DBirth,
        "DDEATH" => SparkplugMessageType.DDeath,
        "NDATA" => SparkplugMessageType.NData,
        "DDATA" => SparkplugMessageType.DData,
        "NCMD" => SparkplugMessageType.NCmd,
        "DCMD" => SparkplugMessageType.DCmd,
        _ => throw new SparkplugProtocolException($"'{element}' is not a Sparkplug message type (4.1.3)."),
    };

    private static bool IsNodeType(SparkplugMessageType type) => type is SparkplugMessageType.NBirth
        or SparkplugMessageType.NDeath or SparkplugMessageType.NData or SparkplugMessageType.NCmd;

    private static bool IsDeviceType(SparkplugMessageType type) => type is SparkplugMessageType.DBirth
        or SparkplugMessageType.DDeath or SparkplugMessageType.DData or SparkplugMessageType.DCmd;

    // 4.1.2, 4.1.4, 4.1.5: ids are UTF-8 strings without '+', '/' and '#'. Empty ids and NUL (which MQTT
    // forbids in topics) are refused too: they cannot name anything.
    private static string CheckId(string id, string element)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0)
        {
            throw new SparkplugProtocolException($"The {element} must not be empty (4.1).");
        }

        if (id.AsSpan().IndexOfAny("+/#\0") >= 0)
        {
            throw new SparkplugProtocolException($"The {element} '{id}' contains a reserved character ('+', '/' or '#') (4.1).");
        }

        return id;
    }
}
