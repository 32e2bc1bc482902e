namespace Millwright.Hosting;

internal sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
