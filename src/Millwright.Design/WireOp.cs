namespace Millwright.Design;

/// <summary>One operation as a client sends it: the stamp's replica is the connection's, only the counter travels.</summary>
internal sealed record WireOp(long Counter, DesignOpKind Kind, string Node, string? Parent, string? Field, string? Value)
{
    public DesignOp Stamped(string replica) => new(new OpStamp(Counter, replica), Kind, Node, Parent, Field, Value);
}
