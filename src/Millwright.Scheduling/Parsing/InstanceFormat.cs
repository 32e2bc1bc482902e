namespace Millwright.Scheduling.Parsing;

/// <summary>The two instance file formats <see cref="InstanceFile"/> reads.</summary>
public enum InstanceFormat
{
    /// <summary>Classic job shop (JSPLIB): "jobs machines", then per job "machine time" pairs, machines from 0.</summary>
    Jsp,

    /// <summary>Flexible job shop (Brandimarte, FJSPLib): per operation a list of machines (from 1) and times.</summary>
    Fjsp,
}
