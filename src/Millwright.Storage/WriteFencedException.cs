namespace Millwright.Storage;

/// <summary>
/// A write refused by its <see cref="IWriteFence"/>: the writer lost its right to write (another node took the
/// lease over while this one was paused, or its lease ran out). Nothing of the transaction committed.
/// </summary>
public class WriteFencedException(string message) : InvalidOperationException(message);
