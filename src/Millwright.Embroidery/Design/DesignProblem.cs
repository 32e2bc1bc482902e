namespace Millwright.Embroidery.Design;

/// <summary>Why a design cannot be stitched; the CLI and REST map each to an exit code or problem type.</summary>
public enum DesignProblem
{
    /// <summary>The bytes are not a well-formed document of the claimed kind.</summary>
    Malformed,

    /// <summary>Over a documented size or complexity limit.</summary>
    TooComplex,

    /// <summary>Nothing to stitch: no filled or stroked shape.</summary>
    Empty,

    /// <summary>The stitched design does not fit the machine's hoop.</summary>
    TooLargeForHoop,
}
