namespace Millwright.Features.Connectivity;

/// <summary>
/// Which MQTT topics a principal may use (DESIGN.md, wire conventions). A device lives under
/// <c>mw/{tenant}/{device}/...</c> and its own Sparkplug B namespace <c>spBv1.0/{tenant}/{type}/{device}[/...]</c>;
/// an API key may subscribe anywhere under its tenant's two roots. Checks are on whole levels, so
/// neither a wildcard nor a look-alike name ("cnc-1" vs "cnc-10") reaches another device's topics.
/// </summary>
internal static class TopicRules
{
    public const string PlatformRoot = "mw";
    public const string SparkplugRoot = "spBv1.0";

    /// <summary>A device publishes only below its own topic roots, never with wildcards (the codec refuses those).</summary>
    public static bool DeviceMayPublish(string tenant, string device, string topic) => IsDeviceTopic(tenant, device, topic);

    /// <summary>A device subscribes only to filters that cannot match anything outside its own namespace.</summary>
    public static bool DeviceMaySubscribe(string tenant, string device, string filter) =>
        !filter.StartsWith('$') && IsDeviceTopic(tenant, device, filter);

    /// <summary>A key subscribes under its tenant: the first two levels are literally mw|spBv1.0 and the tenant.</summary>
    public static bool TenantMaySubscribe(string tenant, string filter)
    {
        var levels = filter.Split('/');
        return levels.Length >= 3 && levels[0] is PlatformRoot or SparkplugRoot && levels[1] == tenant;
    }

    /// <summary>Operators send commands to their tenant's machines: <c>mw/{tenant}/{device}/cmd</c>.</summary>
    public static bool TenantMayPublish(string tenant, string topic)
    {
        var levels = topic.Split('/');
        return levels is [PlatformRoot, var t, _, "cmd"] && t == tenant;
    }

    /// <summary>Runs on every publish, so it walks the levels as spans instead of splitting the topic.</summary>
    private static bool IsDeviceTopic(string tenant, string device, string topic)
    {
        var rest = topic.AsSpan();
        var root = NextLevel(ref rest, out var more);
        if (!more || !NextLevel(ref rest, out more).SequenceEqual(tenant) || !more)
        {
            return false;
        }

        if (root.SequenceEqual(PlatformRoot))
        {
            // mw/{tenant}/{device}/... with at least one level below the device
            return NextLevel(ref rest, out more).SequenceEqual(device) && more;
        }

        // spBv1.0/{tenant}/{message type}/{device}[/...]: the device is the edge node
        return root.SequenceEqual(SparkplugRoot)
            && NextLevel(ref rest, out more) is var type && more && !type.SequenceEqual("#")
            && NextLevel(ref rest, out _).SequenceEqual(device);
    }

    /// <summary>The next topic level; <paramref name="more"/> tells whether a '/' and further levels follow.</summary>
    private static ReadOnlySpan<char> NextLevel(ref ReadOnlySpan<char> rest, out bool more)
    {
        var slash = rest.IndexOf('/');
        more = slash >= 0;
        var level = more ? rest[..slash] : rest;
        rest = more ? rest[(slash + 1)..] : [];
        return level;
    }
}
