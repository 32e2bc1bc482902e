namespace Millwright.Simulator.Models;

/// <summary>A machine type as the simulator provisions it: the platform's type name, its tags and the name prefix of its machines.</summary>
internal sealed record MachineTypeDefinition(MachineKind Kind, string Name, string Description, string NamePrefix, IReadOnlyList<TagSpec> Tags)
{
    public TagSpec Tag(string name) => Tags.Single(t => t.Name == name);
}
