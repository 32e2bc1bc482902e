namespace Millwright.Features.Fleet;

/// <summary>
/// One child of an ISO 15143-3 element: its name in the standard, and where its value comes from: a telemetry
/// tag, a fixed text (the unit words the standard asks for), or the element's derived value.
/// </summary>
internal sealed record AempField(string Name, AempSource Source, string? Tag = null, string? Text = null)
{
    public static AempField FromTag(string name, string tag) => new(name, AempSource.Tag, tag);

    public static AempField Fixed(string name, string text) => new(name, AempSource.Fixed, Text: text);

    public static AempField Derived(string name) => new(name, AempSource.Derived);
}
