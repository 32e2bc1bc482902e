using System.Globalization;

namespace Millwright.Fuzzing;

/// <summary>`modbus-response`: the client's response parser, each mutated response against the request its seed answers.</summary>
internal sealed class ModbusResponseFuzzing : IFuzzTarget
{
    public string Name => "modbus-response";

    public string Description => "Modbus TCP response parser (the poller's side)";

    public IFuzzWorker CreateWorker(int seed) => new Worker(seed);

    private sealed class Worker(int seed) : IFuzzWorker
    {
        private readonly IReadOnlyList<(Millwright.Modbus.ModbusRequest Request, byte[] Response)> _seeds = ModbusFuzzTargets.ResponseSeeds();
        private readonly MutationEngine _engine = ModbusFuzzTargets.ResponseEngine(seed);
        private readonly long[] _outcomes = new long[3];

        public FuzzCase Current { get; private set; } = new([], "0");

        public long Cases { get; private set; }

        public void RunOne()
        {
            var (index, mutated) = _engine.Next();
            var input = ModbusFuzzTargets.Framed(mutated, Cases);
            Current = new FuzzCase(input, index.ToString(CultureInfo.InvariantCulture));
            _outcomes[(int)ModbusFuzzTargets.ParseResponse(_seeds[index].Request, input)]++;
            Cases++;
        }

        public void Replay(FuzzCase saved) =>
            ModbusFuzzTargets.ParseResponse(_seeds[int.Parse(saved.Context, CultureInfo.InvariantCulture)].Request, saved.Input);

        public string Summary() => $"cases {Cases}, parsed {_outcomes[0]}, protocol error {_outcomes[1]}, device exception {_outcomes[2]}";
    }
}
