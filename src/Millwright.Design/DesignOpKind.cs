namespace Millwright.Design;

internal enum DesignOpKind
{
    Move,
    Set,
}
