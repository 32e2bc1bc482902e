namespace Millwright.OpcUa;

/// <summary>Attribute ids of OPC 10000-6 A.1 that the client reads.</summary>
internal static class AttributeId
{
    public const uint NodeId = 1;
    public const uint NodeClass = 2;
    public const uint BrowseName = 3;
    public const uint DisplayName = 4;
    public const uint Description = 5;
    public const uint Value = 13;
    public const uint DataType = 14;
    public const uint ValueRank = 15;
    public const uint AccessLevel = 17;
}
