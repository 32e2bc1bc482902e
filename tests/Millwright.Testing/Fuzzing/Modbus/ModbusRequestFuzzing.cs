namespace Millwright.Fuzzing;

/// <summary>`modbus-request`: the server's request handler, which must answer with a well-framed ADU or close.</summary>
internal sealed class ModbusRequestFuzzing : IFuzzTarget
{
    public string Name => "modbus-request";

    public string Description => "Modbus TCP server request handler (the simulator's and tests' server)";

    public IFuzzWorker CreateWorker(int seed) => new Worker(seed);

    private sealed class Worker(int seed) : IFuzzWorker
    {
        private readonly MutationEngine _engine = ModbusFuzzTargets.RequestEngine(seed);
        private readonly Millwright.Modbus.ModbusRegisterBank _bank = ModbusFuzzTargets.FuzzBank();
        private readonly byte[] _response = new byte[Millwright.Modbus.ModbusLimits.MaxAduLength];
        private long _answered;
        private long _closed;

        public FuzzCase Current { get; private set; } = new([], "");

        public long Cases { get; private set; }

        public void RunOne()
        {
            var input = ModbusFuzzTargets.Framed(_engine.Next().Input, Cases);
            Current = new FuzzCase(input, "");
            if (ModbusFuzzTargets.HandleRequest(_bank, input, _response) == 0)
            {
                _closed++;
            }
            else
            {
                _answered++;
            }

            Cases++;
        }

        public void Replay(FuzzCase saved) => ModbusFuzzTargets.HandleRequest(_bank, saved.Input, _response);

        public string Summary() => $"cases {Cases}, answered {_answered}, closed {_closed}";
    }
}
