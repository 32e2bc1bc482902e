namespace Millwright.OpcUa;

internal sealed record LocalizedText(string? Locale, string? Text)
{
    public override string ToString() => Text ?? "";
}
