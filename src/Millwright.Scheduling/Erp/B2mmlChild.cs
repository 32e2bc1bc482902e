namespace Millwright.Scheduling.Erp;

/// <summary>
/// One child an element may hold, in the schema's sequence: how often (<see cref="Min"/>..<see cref="Max"/>) and
/// whether its content is read (<see cref="Skip"/> false: checked against its own rule, or text when it has none)
/// or accepted unread (elements the schema allows there that Millwright has no use for).
/// </summary>
public sealed record B2mmlChild(string Name, int Min = 0, int Max = 1, bool Skip = false)
{
    public const int Many = int.MaxValue;

    public static B2mmlChild One(string name) => new(name, 1, 1);

    public static B2mmlChild Optional(string name) => new(name);

    public static B2mmlChild Any(string name, int max = Many) => new(name, 0, max);

    public static B2mmlChild Ignored(string name, int max = 1) => new(name, 0, max, Skip: true);
}
