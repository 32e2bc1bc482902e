namespace Millwright.Design;

/// <summary>What a node id, a replica name and a field name may look like; everything else is refused before it reaches the tree.</summary>
internal static class DesignNames
{
    public const int MaxNode = 64;
    public const int MaxReplica = 40;
    public const int MaxField = 64;

    /// <summary>Node ids are chosen by clients (so that an offline client can create parts): 1-64 of letters, digits and <c>_ . : -</c>.</summary>
    public static bool IsNode(string? text) => Is(text, MaxNode, allowDots: true);

    /// <summary>A client's replica name: 1-40 of letters, digits, <c>_</c> and <c>-</c>.</summary>
    public static bool IsReplica(string? text) => Is(text, MaxReplica, allowDots: false);

    /// <summary>A field name: letters, digits, <c>_</c>, <c>-</c>, and dots for parameters (<c>param.length</c>).</summary>
    public static bool IsField(string? text) => Is(text, MaxField, allowDots: true);

    private static bool Is(string? text, int max, bool allowDots)
    {
        if (string.IsNullOrEmpty(text) || text.Length > max)
        {
            return false;
        }

        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowDots && c is '.' or ':');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
