namespace Millwright.Embroidery.Stitches;

/// <summary>What the machine does at one step of a stitch pattern.</summary>
public enum StitchKind
{
    /// <summary>Move to the point and put the needle through the fabric.</summary>
    Stitch,

    /// <summary>Move the frame to the point without a penetration.</summary>
    Jump,

    /// <summary>Cut the thread where the needle is.</summary>
    Trim,

    /// <summary>Stop and change to the next thread of the plan.</summary>
    ColorChange,
}
