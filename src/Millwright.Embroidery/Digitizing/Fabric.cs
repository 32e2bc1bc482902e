namespace Millwright.Embroidery.Digitizing;

/// <summary>What is embroidered on; each has its own <see cref="DigitizeOptions.For"/> defaults.</summary>
public enum Fabric
{
    /// <summary>Stable woven cloth (shirts, bags): light underlay, little pull.</summary>
    Woven,

    /// <summary>Stretchy knits (polo, jersey): more underlay and pull compensation, shorter fill stitches.</summary>
    Knit,

    /// <summary>Structured caps on a cap frame: narrow satins, short stitches, strong pull compensation.</summary>
    Cap,
}
