using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Parsing;

/// <summary>
/// Reads an instance in either format. Without a format the rule is (docs/scheduling.md): a header with a third
/// number is flexible; otherwise the file is read both ways, and the one way that succeeds wins. A file that reads
/// both ways is ambiguous and refused (say the format); one that reads neither way is refused with the error of the
/// reading that got further into the file (the flexible one on a tie), which names the format it was read as.
/// </summary>
public static class InstanceFile
{
    public static (ShopInstance Instance, InstanceFormat Format) Parse(ReadOnlySpan<byte> bytes, string? name = null, InstanceFormat? format = null) =>
        Parse(InstanceText.Decode(bytes), name, format);

    public static (ShopInstance Instance, InstanceFormat Format) Parse(string text, string? name = null, InstanceFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (format ?? Detect(text))
        {
            case InstanceFormat.Jsp:
                return (JobShopFile.Parse(text, name), InstanceFormat.Jsp);
            case InstanceFormat.Fjsp:
                return (FlexibleJobShopFile.Parse(text, name), InstanceFormat.Fjsp);
        }

        InstanceFormatException? classicError = null, flexibleError = null;
        ShopInstance? classic = null, flexible = null;
        try
        {
            classic = JobShopFile.Parse(text, name);
        }
        catch (InstanceFormatException e)
        {
            classicError = e;
        }

        try
        {
            flexible = FlexibleJobShopFile.Parse(text, name);
        }
        catch (InstanceFormatException e)
        {
            flexibleError = e;
        }

        if (classic is not null && flexible is not null)
        {
            var header = InstanceText.Lines(text).First().Number;
            throw new InstanceFormatException(header, 1, "the file reads both as a classic (jsp) and as a flexible (fjsp) job shop; say which with --format");
        }

        if (classic is not null)
        {
            return (classic, InstanceFormat.Jsp);
        }

        if (flexible is not null)
        {
            return (flexible, InstanceFormat.Fjsp);
        }

        var (further, other, furtherName, otherName) = (flexibleError!.Line, flexibleError.Column).CompareTo((classicError!.Line, classicError.Column)) >= 0
            ? (flexibleError, classicError, "flexible (fjsp)", "classic (jsp)")
            : (classicError, flexibleError, "classic (jsp)", "flexible (fjsp)");
        throw new InstanceFormatException(further.Line, further.Column,
            $"{Problem(further)} (the file fits neither format; read as {furtherName}; as {otherName}: {other.Message})");
    }

    /// <summary>Flexible when the header (first content line) has three numbers; null when the header alone cannot tell.</summary>
    private static InstanceFormat? Detect(string text)
    {
        foreach (var (_, line) in InstanceText.Lines(text))
        {
            return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length == 3 ? InstanceFormat.Fjsp : null;
        }

        return null;
    }

    private static string Problem(InstanceFormatException e)
    {
        var prefix = $"line {e.Line}, column {e.Column}: ";
        return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
    }
}
