using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using static Millwright.Fuzzing.Wire;

namespace Millwright.Mqtt.Tests;

/// <summary>5.0 property rules (section 2.2.2 and each property's own section).</summary>
public sealed class PropertyTests
{
    private static MqttPacket DecodePublish(string propertiesHex)
    {
        var body = propertiesHex.Replace(" ", "", StringComparison.Ordinal);
        var bytes = Frame(0x32, Str("a") + "0001" + (body.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + body);
        Assert.True(new MqttDecoder(MqttProtocolVersion.V500).TryDecode(bytes, out var packet, out _));
        return packet;
    }

    private static ReasonCode Refused(string propertiesHex) =>
        Assert.Throws<MqttProtocolException>(() => DecodePublish(propertiesHex)).Reason;

    [Theory]
    [InlineData("03 0001 61 03 0001 62", ReasonCode.ProtocolError)] // content type twice
    [InlineData("23 0001 23 0002", ReasonCode.ProtocolError)] // topic alias twice
    [InlineData("11 00000001", ReasonCode.MalformedPacket)] // session expiry is not a PUBLISH property
    [InlineData("05 00", ReasonCode.MalformedPacket)] // 0x05 is not a property
    [InlineData("80 01", ReasonCode.MalformedPacket)] // a two-byte identifier that names nothing
    [InlineData("23 0000", ReasonCode.ProtocolError)] // topic alias 0 [MQTT-3.3.2-8]
    [InlineData("0B 00", ReasonCode.ProtocolError)] // subscription identifier 0
    [InlineData("01 02", ReasonCode.ProtocolError)] // payload format indicator 2
    [InlineData("08 0003 612F23", ReasonCode.ProtocolError)] // response topic with a wildcard
    [InlineData("02 0000", ReasonCode.MalformedPacket)] // message expiry cut short
    public void A_publish_property_that_breaks_a_rule_is_refused(string properties, ReasonCode reason)
    {
        Assert.Equal(reason, Refused(properties));
    }

    [Fact]
    public void User_properties_repeat_and_keep_their_order()
    {
        var packet = (PublishPacket)DecodePublish("26 0001 62 0001 31  26 0001 61 0001 32  26 0001 62 0001 33");
        Assert.Equal([new UserProperty("b", "1"), new UserProperty("a", "2"), new UserProperty("b", "3")], packet.Properties!.UserProperties);
    }

    [Fact]
    public void Subscription_identifiers_repeat_in_publish_but_not_in_subscribe()
    {
        var packet = (PublishPacket)DecodePublish("0B 01 0B FF FF FF 7F");
        Assert.Equal([1u, 268_435_455u], packet.Properties!.SubscriptionIdentifiers);

        var subscribe = Frame(0x82, "0001 04 0B01 0B02" + Str("a") + "00");
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder(MqttProtocolVersion.V500).TryDecode(subscribe, out _, out _));
        Assert.Equal(ReasonCode.ProtocolError, error.Reason);
    }

    [Theory]
    [InlineData("21 0000")] // receive maximum 0
    [InlineData("27 00000000")] // maximum packet size 0
    [InlineData("17 02")] // request problem information 2
    [InlineData("19 05")] // request response information 5
    public void A_connect_property_with_a_forbidden_value_is_a_protocol_error(string properties)
    {
        var body = properties.Replace(" ", "", StringComparison.Ordinal);
        var bytes = Frame(0x10, Str("MQTT") + "05 02 003C" + (body.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + body + Str("c"));
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder().TryDecode(bytes, out _, out _));
        Assert.Equal(ReasonCode.ProtocolError, error.Reason);
    }

    [Fact]
    public void A_will_property_in_the_connect_properties_is_malformed()
    {
        var bytes = Frame(0x10, Str("MQTT") + "05 02 003C 05 18 0000000A" + Str("c"));
        var error = Assert.Throws<MqttProtocolException>(() => new MqttDecoder().TryDecode(bytes, out _, out _));
        Assert.Equal(ReasonCode.MalformedPacket, error.Reason);
    }

    [Fact]
    public void A_packet_without_properties_has_no_property_bag()
    {
        var packet = (PublishPacket)DecodePublish("");
        Assert.Null(packet.Properties);
    }

    [Fact]
    public void Every_property_is_allowed_somewhere_and_user_property_everywhere()
    {
        foreach (var target in Enum.GetValues<PropertyTargets>().Where(t => t != PropertyTargets.None))
        {
            Assert.True(PropertyRules.IsAllowed(PropertyId.UserProperty, target));
        }

        Assert.False(PropertyRules.IsAllowed(PropertyId.TopicAlias, PropertyTargets.Will));
        Assert.True(PropertyRules.IsAllowed(PropertyId.WillDelayInterval, PropertyTargets.Will));
        Assert.False(PropertyRules.IsAllowed(PropertyId.WillDelayInterval, PropertyTargets.Connect));
    }
}
