namespace Millwright.Fuzzing;

/// <summary>
/// The worker of a target whose check either accepts an input (true) or refuses it the documented way (false);
/// anything else the check throws escapes and is a finding. Counts both outcomes for the summary.
/// </summary>
internal sealed class AcceptOrRefuseWorker(MutationEngine engine, Func<byte[], bool> check, string accepted) : IFuzzWorker
{
    private long _accepted;

    public FuzzCase Current { get; private set; } = new([], "");

    public long Cases { get; private set; }

    public void RunOne()
    {
        var input = engine.Next().Input;
        Current = new FuzzCase(input, "");
        if (check(input))
        {
            _accepted++;
        }

        Cases++;
    }

    public void Replay(FuzzCase saved) => check(saved.Input);

    public string Summary() => $"cases {Cases}, {accepted} {_accepted}, refused {Cases - _accepted}";
}
