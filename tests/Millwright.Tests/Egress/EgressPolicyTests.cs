using System.Net;
using Millwright.Cli;
using Millwright.Security;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Egress;

/// <summary>The egress policy alone: which addresses are refused by default, and what an operator's rule opens.</summary>
public sealed class EgressPolicyTests
{
    private const long Acme = 1;
    private const long Other = 2;

    private static readonly FakeResolver Names = new(new Dictionary<string, string[]>
    {
        ["loopback.test"] = ["127.0.0.1"],
        ["metadata.test"] = ["169.254.169.254"],
        ["alibaba.test"] = ["100.100.100.200"],
        ["ec2v6.test"] = ["fd00:ec2::254"],
        ["private.test"] = ["10.20.30.40", "192.168.0.10"],
        ["ula.test"] = ["fd12:3456::1"],
        ["mapped.test"] = ["::ffff:127.0.0.1"],
        ["mixed.test"] = ["10.0.0.1", "203.0.113.10"],
        ["public.test"] = ["203.0.113.11", "2001:db8::11"],
    });

    private static EgressPolicy Policy(params string[] rules) => Policy(_ => "acme", rules);

    private static EgressPolicy Policy(Func<long, string?> slugs, params string[] rules) =>
        new(new EgressOptions { Allow = [.. rules.Select(TestEgress.Rule)] }, Names, (tenant, _) => Task.FromResult(tenant == Acme ? slugs(tenant) : "other"));

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("169.254.10.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata")]
    [InlineData("64:ff9b::a9fe:a9fe", "cloud metadata")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("::ffff:100.100.100.200", "cloud metadata")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::ffff:255.255.255.255", "broadcast")]
    public async Task A_forbidden_address_is_refused_by_default_naming_its_class_and_the_policy(string address, string kind)
    {
        var refusal = await Policy().RefuseAsync(Acme, IPAddress.Parse(address), 502, CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains($"is a {kind} address", refusal, StringComparison.Ordinal);
        Assert.Contains("egress policy", refusal, StringComparison.Ordinal);
        Assert.Contains("--egress-allow", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("11.0.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:203.0.113.10")]
    public async Task A_public_address_is_open_without_a_rule(string address) =>
        Assert.Null(await Policy().RefuseAsync(Other, IPAddress.Parse(address), 443, CancellationToken.None));

    [Theory]
    [InlineData("loopback.test")]
    [InlineData("metadata.test")]
    [InlineData("alibaba.test")]
    [InlineData("ec2v6.test")]
    [InlineData("private.test")]
    [InlineData("ula.test")]
    [InlineData("mapped.test")]
    public async Task A_name_that_resolves_only_to_forbidden_addresses_is_refused_without_telling_them(string name)
    {
        var denied = await Assert.ThrowsAsync<EgressDeniedException>(() => Policy().ResolveAsync(Acme, name, 502, CancellationToken.None));

        Assert.Contains($"'{name}' resolves to no address this tenant may reach", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("169.254", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("10.20", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_is_resolved_once_and_only_its_allowed_addresses_are_returned()
    {
        var before = Names.Lookups;

        var addresses = await Policy().ResolveAsync(Acme, "mixed.test", 443, CancellationToken.None);

        Assert.Equal(new[] { IPAddress.Parse("203.0.113.10") }, addresses);
        Assert.Equal(before + 1, Names.Lookups);
        Assert.Equal(2, (await Policy().ResolveAsync(Acme, "public.test", 443, CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_literal_host_is_checked_without_asking_the_resolver()
    {
        var before = Names.Lookups;

        await Assert.ThrowsAsync<EgressDeniedException>(() => Policy().ResolveAsync(Acme, "[::1]", 502, CancellationToken.None));
        Assert.Equal(new[] { IPAddress.Parse("203.0.113.5") }, await Policy().ResolveAsync(Acme, "203.0.113.5", 502, CancellationToken.None));
        Assert.Equal(before, Names.Lookups);
    }

    [Fact]
    public async Task A_global_rule_opens_exactly_its_network_and_port_range_for_every_tenant()
    {
        var policy = Policy("127.0.0.0/8:5020-5029");

        foreach (var tenant in new[] { Acme, Other })
        {
            Assert.Null(await policy.RefuseAsync(tenant, IPAddress.Parse("127.0.0.1"), 5020, CancellationToken.None));
            Assert.Null(await policy.RefuseAsync(tenant, IPAddress.Parse("127.9.9.9"), 5029, CancellationToken.None));
            Assert.Null(await policy.RefuseAsync(tenant, IPAddress.Parse("::ffff:127.0.0.1"), 5025, CancellationToken.None));
            Assert.NotNull(await policy.RefuseAsync(tenant, IPAddress.Parse("127.0.0.1"), 5019, CancellationToken.None));
            Assert.NotNull(await policy.RefuseAsync(tenant, IPAddress.Parse("127.0.0.1"), 5030, CancellationToken.None));
            Assert.NotNull(await policy.RefuseAsync(tenant, IPAddress.Parse("::1"), 5020, CancellationToken.None));
            Assert.NotNull(await policy.RefuseAsync(tenant, IPAddress.Parse("10.0.0.1"), 5020, CancellationToken.None));
        }
    }

    [Fact]
    public async Task An_IPv6_rule_in_brackets_opens_its_network_on_its_one_port()
    {
        var policy = Policy("[fd00::]/8:502");

        Assert.Null(await policy.RefuseAsync(Other, IPAddress.Parse("fd12::7"), 502, CancellationToken.None));
        Assert.NotNull(await policy.RefuseAsync(Other, IPAddress.Parse("fd12::7"), 503, CancellationToken.None));
        Assert.NotNull(await policy.RefuseAsync(Other, IPAddress.Parse("fc00::7"), 502, CancellationToken.None));
        Assert.NotNull(await policy.RefuseAsync(Other, IPAddress.Parse("fe80::7"), 502, CancellationToken.None));
    }

    [Fact]
    public async Task A_tenant_rule_opens_its_network_for_that_tenant_only_and_follows_the_slug_at_check_time()
    {
        var slug = "acme";
        var policy = Policy(_ => slug, "acme=10.0.0.0/8");

        Assert.Null(await policy.RefuseAsync(Acme, IPAddress.Parse("10.1.2.3"), 502, CancellationToken.None));
        Assert.NotNull(await policy.RefuseAsync(Other, IPAddress.Parse("10.1.2.3"), 502, CancellationToken.None));
        Assert.NotNull(await policy.RefuseAsync(Acme, IPAddress.Parse("192.168.1.1"), 502, CancellationToken.None));
        Assert.Equal(new[] { IPAddress.Parse("10.20.30.40") }, await policy.ResolveAsync(Acme, "private.test", 502, CancellationToken.None));

        slug = "renamed";

        Assert.NotNull(await policy.RefuseAsync(Acme, IPAddress.Parse("10.1.2.3"), 502, CancellationToken.None));
    }

    [Theory]
    [InlineData("10.0.0.0/8", null, "10.0.0.0/8", 1, 65535)]
    [InlineData("10.0.0.5", null, "10.0.0.5/32", 1, 65535)]
    [InlineData("acme=192.168.0.0/16:502", "acme", "192.168.0.0/16", 502, 502)]
    [InlineData("plant_2=127.0.0.1:15020-15029", "plant_2", "127.0.0.1/32", 15020, 15029)]
    [InlineData("acme=[fd00::]/8:502", "acme", "fd00::/8", 502, 502)]
    [InlineData("[::1]:5020", null, "::1/128", 5020, 5020)]
    [InlineData("[fe80::]/10", null, "fe80::/10", 1, 65535)]
    public void A_rule_reads_tenant_network_and_ports(string text, string? tenant, string network, int first, int last)
    {
        Assert.Null(EgressRule.TryParse(text, out var rule));

        Assert.Equal(tenant, rule.Tenant);
        Assert.Equal(IPNetwork.Parse(network), rule.Network);
        Assert.Equal((first, last), (rule.FirstPort, rule.LastPort));
        Assert.Null(EgressRule.TryParse(rule.ToString(), out var again));
        Assert.Equal(rule, again);
    }

    [Fact]
    public void The_demo_opens_only_its_own_simulated_Modbus_and_OPC_UA_ports_for_its_tenant()
    {
        // The fleet plan puts a Modbus machine in slots 4 and 11 of every 20 and an OPC UA machine in slot 18: 60 machines
        // have 9, then the power meter's port.
        var rule = DemoCommand.SimulatorModbusRule(60, 15020)!;

        Assert.Equal("acme=127.0.0.1/32:15020-15029", rule.ToString());
        Assert.Equal("acme=127.0.0.1/32:15020", DemoCommand.SimulatorModbusRule(4, 15020)!.ToString());
        Assert.Null(DemoCommand.SimulatorModbusRule(0, 15020));
    }
}
