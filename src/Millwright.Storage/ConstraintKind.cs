namespace Millwright.Storage;

public enum ConstraintKind
{
    None,
    Unique,
    ForeignKey,
    Check,
}
