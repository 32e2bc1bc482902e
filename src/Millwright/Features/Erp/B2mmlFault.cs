using Millwright.Api;
using Millwright.Scheduling.Erp;

namespace Millwright.Features.Erp;

/// <summary>A refused B2MML document as RFC 9457 problem details: the element's path, line and column as members.</summary>
internal static class B2mmlFault
{
    public static ApiProblem At(ErpPlace place, string problem, int status = StatusCodes.Status400BadRequest) =>
        new(status, "Invalid B2MML document", $"{place.Path} (line {place.Line}, column {place.Column}): {problem}",
            new Dictionary<string, string[]> { [place.Path] = [problem] })
        {
            Extensions = new Dictionary<string, object?> { ["path"] = place.Path, ["line"] = place.Line, ["column"] = place.Column },
        };

    public static ApiProblem From(B2mmlException e) => At(e.Place, e.Problem);
}
