namespace Millwright.Simulator.Models;

/// <summary>The kinds of machine the virtual factory builds (issue 3, "The virtual factory"). Public for test theories.</summary>
public enum MachineKind
{
    Cnc,
    InjectionMoulding,
    Embroidery,
    SandPrinter,
    Construction,
    Cutter,
    Sewing,
    Finishing,
}
