namespace Millwright.Mqtt.Packets;

/// <summary>A name-value UTF-8 string pair (5.0 section 3.1.2.11.8); may repeat, order is kept.</summary>
public readonly record struct UserProperty(string Name, string Value);
