namespace Millwright.Fuzzing;

/// <summary>Runs one target's cases on one thread. A finding (crash or broken promise) escapes as an exception.</summary>
internal interface IFuzzWorker
{
    /// <summary>The case running now, published before it runs so a watchdog can save a hang.</summary>
    FuzzCase Current { get; }

    long Cases { get; }

    /// <summary>Runs the next case; throws on a finding.</summary>
    void RunOne();

    /// <summary>Runs a saved case once; throws on a finding.</summary>
    void Replay(FuzzCase saved);

    /// <summary>What the cases did (decoded, refused, by reason): shows the fuzzer reaches past the first checks.</summary>
    string Summary();
}
