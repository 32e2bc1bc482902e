namespace Millwright.Tests.Alarms;

internal sealed record ReceivedRequest(string Body, IReadOnlyDictionary<string, string> Headers);
