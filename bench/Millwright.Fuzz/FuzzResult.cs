namespace Millwright.Fuzz;

internal sealed record FuzzResult(long Cases, string Outcome, string Summary, int ExitCode);
