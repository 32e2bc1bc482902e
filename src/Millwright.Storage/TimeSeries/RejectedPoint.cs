namespace Millwright.Storage.TimeSeries;

/// <summary>A point the store refused, by its index in the appended batch, with a reason fit for the device.</summary>
public readonly record struct RejectedPoint(int Index, string Reason);
