using System.Text.Json;
using Millwright.Api;
using Millwright.Design;
using Millwright.Security;

namespace Millwright.Features.Design;

/// <summary>
/// Edits made over REST (a PDM tool registering a file, a requirements tool): they go through the same writer as the
/// channel's, as a replica of their own stamped after everything the room holds, so they are checked, stored before
/// they are answered, and sent live to everyone connected.
/// </summary>
internal sealed partial class DesignRoom
{
    private static readonly TimeSpan RestDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Writes <paramref name="fields"/> of <paramref name="node"/> and returns once they are stored; a refusal is a 422 naming the path.</summary>
    public async Task WriteAsync(Caller caller, string node, IReadOnlyList<(string Field, string? Value)> fields, CancellationToken ct)
    {
        var member = new DesignMember(caller, $"k{caller.KeyId}-rest-{Guid.NewGuid():N}"[..30], outboxCapacity: 16);
        long clock;
        lock (_gate)
        {
            if (!_tree.Contains(node) || node == DesignTree.Trash)
            {
                throw new ApiProblem(StatusCodes.Status404NotFound, "Not found", $"Design project {Project} has no node {node}.");
            }

            clock = _tree.Clock;
        }

        var ops = fields.Select((f, i) => new WireOp(clock + 1 + i, DesignOpKind.Set, node, null, f.Field, f.Value)).ToList();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RestDeadline);
        try
        {
            await SubmitAsync(new DesignSubmission(member, ops), deadline.Token);
            var acknowledged = 0;
            await foreach (var bytes in member.Outbox.ReadAllAsync(deadline.Token))
            {
                using var message = JsonDocument.Parse(bytes);
                var root = message.RootElement;
                switch (root.GetProperty("type").GetString())
                {
                    case "ack":
                        acknowledged += root.GetProperty("counters").GetArrayLength();
                        if (acknowledged >= ops.Count)
                        {
                            return;
                        }

                        break;
                    case "error":
                        var text = root.GetProperty("message").GetString() ?? "refused";
                        throw root.GetProperty("code").GetString() is "refused"
                            ? new ApiProblem(StatusCodes.Status422UnprocessableEntity, "Edit refused", text)
                            : new ApiProblem(StatusCodes.Status409Conflict, "Conflict", $"{text}; send the request again");
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The room's writer did not answer in time (the host is stopping, or the database is away).
        }

        throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "Unavailable", "The design room did not store the edit in time; send it again.");
    }
}
