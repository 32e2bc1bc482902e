using System.Net;
using Millwright.Hosting;
using Millwright.Security;

namespace Millwright.Tests.Harness;

/// <summary>
/// Egress settings for tests. The platform refuses loopback peers by default, so a test whose Modbus device or
/// webhook receiver listens on 127.0.0.1 opens loopback explicitly, as an operator would with --egress-allow.
/// </summary>
internal static class TestEgress
{
    public static EgressRule Loopback { get; } = Rule("127.0.0.0/8");

    /// <summary>Options adjustment for <see cref="TestHost.StartAsync"/>: loopback open to every tenant.</summary>
    public static ServeOptions AllowLoopback(ServeOptions options) => options with { Egress = options.Egress.With(Loopback) };

    public static EgressRule Rule(string text) =>
        EgressRule.TryParse(text, out var rule) is { } error ? throw new ArgumentException(error, nameof(text)) : rule;
}
