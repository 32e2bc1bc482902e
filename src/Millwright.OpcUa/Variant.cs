using System.Globalization;

namespace Millwright.OpcUa;

/// <summary>
/// Any built-in value, scalar or array (OPC 10000-6 5.2.2.16). Scalars hold the CLR type of their built-in type
/// (Int32 → int, ByteString → byte[], XmlElement → string, ...); arrays hold a CLR array of it. Multi-dimensional
/// arrays keep their flat elements with <see cref="Dimensions"/>.
/// </summary>
internal sealed record Variant(BuiltInType Type, object? Value, bool IsArray = false, int[]? Dimensions = null)
{
    public static readonly Variant Null = new(BuiltInType.Null, null);

    public static Variant From(bool value) => new(BuiltInType.Boolean, value);

    public static Variant From(int value) => new(BuiltInType.Int32, value);

    public static Variant From(uint value) => new(BuiltInType.UInt32, value);

    public static Variant From(double value) => new(BuiltInType.Double, value);

    public static Variant From(float value) => new(BuiltInType.Float, value);

    public static Variant From(string? value) => new(BuiltInType.String, value);

    public override string ToString() => IsArray && Value is Array array
        ? "[" + string.Join(", ", array.Cast<object?>().Select(Format)) + "]"
        : Format(Value);

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
