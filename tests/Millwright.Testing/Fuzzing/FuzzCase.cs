namespace Millwright.Fuzzing;

/// <summary>One fuzz input and what else a target needs to replay it (a topic, the request a response answers).</summary>
internal sealed record FuzzCase(byte[] Input, string Context);
