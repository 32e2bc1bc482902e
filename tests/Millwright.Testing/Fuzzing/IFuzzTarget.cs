namespace Millwright.Fuzzing;

/// <summary>A parser of untrusted bytes, fuzzed briefly by its tests and for hours by bench/Millwright.Fuzz.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name the driver is called with: `millwright-fuzz &lt;name&gt;`.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>A worker with its own deterministic stream of cases; one per thread.</summary>
    IFuzzWorker CreateWorker(int seed);
}
