namespace Millwright.Fuzzing;

/// <summary>`chunks`: the time-series chunk decoders, numeric and text (<see cref="ChunkFuzzTargets"/>).</summary>
internal sealed class ChunkFuzzing : IFuzzTarget
{
    public string Name => "chunks";

    public string Description => "time-series chunk decoders (numeric and text), with their promises checked";

    public IFuzzWorker CreateWorker(int seed) => new Worker(ChunkFuzzTargets.Engine(seed));

    private sealed class Worker(MutationEngine engine) : IFuzzWorker
    {
        private long _accepted;

        public FuzzCase Current { get; private set; } = new([], "");

        public long Cases { get; private set; }

        public void RunOne()
        {
            var input = engine.Next().Input;
            Current = new FuzzCase(input, "");
            _accepted += ChunkFuzzTargets.Check(input);
            Cases++;
        }

        public void Replay(FuzzCase saved) => ChunkFuzzTargets.Check(saved.Input);

        public string Summary() => $"cases {Cases}, decodes accepted {_accepted}";
    }
}
