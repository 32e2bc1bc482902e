using Millwright.Design;

namespace Millwright.Features.Design;

/// <summary>The documents (<c>doc.NAME</c> fields) of a structure, live or as a revision froze them.</summary>
internal static class Documents
{
    public static List<DocumentDto> Of(IEnumerable<NodeDto> nodes, Func<string, string> path) =>
        nodes.SelectMany(n => n.Fields.Where(f => f.Value is not null && DesignFields.IsDocument(f.Key))
                .Select(f => (Node: n.Id, Name: f.Key[DesignFields.DocumentPrefix.Length..], Reference: DocumentReference.Parse(f.Value!).Document)))
            .Where(d => d.Reference is not null)
            .OrderBy(d => d.Node, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => new DocumentDto(d.Node, d.Name, path(d.Node), d.Reference!.Kind, d.Reference.Sha256, d.Reference.Uri, d.Reference.Title))
            .ToList();
}
