namespace Millwright.Features.Design;

internal enum DesignOpKind
{
    Move,
    Set,
}
