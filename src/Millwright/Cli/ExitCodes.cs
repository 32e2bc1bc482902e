namespace Millwright.Cli;

/// <summary>Exit codes of every command, documented in the README.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int StoreUnavailable = 2;
    public const int ListenFailed = 3;
    public const int InvalidInput = 4;

    /// <summary>A client command's key was refused (wrong, revoked or too weak a role).</summary>
    public const int Unauthorized = 5;

    /// <summary>A client command could not reach the platform's API or broker.</summary>
    public const int Unreachable = 6;

    /// <summary>A schedule failed the independent checker, or beat a proven lower bound: a solver bug.</summary>
    public const int CheckFailed = 7;

    /// <summary><c>millwright bench</c> found no built load program (bench/Millwright.Load).</summary>
    public const int BenchNotBuilt = 8;
}
