namespace Millwright.Features.Sharing;

/// <summary>
/// The hard constraints, in the order they are checked (the first an offer fails is the one it is excluded by).
/// The words are the API's: a request nobody can serve is answered with how many offers each one excluded.
/// </summary>
internal static class Constraint
{
    public const string Process = "process";
    public const string Material = "material";
    public const string Envelope = "envelope";
    public const string Tolerance = "tolerance";
    public const string Certification = "certification";
    public const string Distance = "distance";
    public const string DueDate = "dueDate";
    public const string Budget = "budget";

    public static string Explain(string constraint) => constraint switch
    {
        Process => "cannot run every process the request's steps need",
        Material => "does not work the requested material",
        Envelope => "has a work envelope too small for the part",
        Tolerance => "cannot hold the requested tolerance",
        Certification => "lacks a required certification",
        Distance => "is farther away than the allowed distance",
        DueDate => "has too little idle machine time to deliver by the due date",
        _ => "would cost more than the budget ceiling",
    };
}
