namespace Millwright.OpcUa;

/// <summary>OPC 10000-3 8.29: a bit each, so masks combine them.</summary>
[Flags]
internal enum NodeClass
{
    Unspecified = 0,
    Object = 1,
    Variable = 2,
    Method = 4,
    ObjectType = 8,
    VariableType = 16,
    ReferenceType = 32,
    DataType = 64,
    View = 128,
}
