namespace Millwright.OpcUa;

internal enum NodeIdType
{
    Numeric,
    String,
    Guid,
    Opaque,
}
