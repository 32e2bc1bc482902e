using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;

namespace Millwright.Simulator.Tests;

public sealed class FleetPlanTests
{
    [Fact]
    public void Two_hundred_machines_are_mostly_json_with_sparkplug_modbus_opc_ua_and_a_few_excavators()
    {
        var plan = FleetPlan.Create(200);

        Assert.Equal(140, plan.Count(m => m.Protocol == Protocol.MqttJson));
        Assert.Equal(10, plan.Count(m => m.Protocol == Protocol.OpcUa));
        Assert.Equal(30, plan.Count(m => m.Protocol == Protocol.Sparkplug));
        Assert.Equal(20, plan.Count(m => m.Protocol == Protocol.Modbus));
        Assert.Equal(10, plan.Count(m => m.Kind == MachineKind.Construction));
        Assert.All(plan.Where(m => m.Kind == MachineKind.Construction), m => Assert.Equal(FleetPlan.JobSite, m.Site));
        Assert.Equal(200, plan.Select(m => m.Name).Distinct().Count());
        Assert.All(plan, m => Assert.Matches("^[a-z0-9]+-[0-9]{3}$", m.Name));
    }

    [Fact]
    public void Six_machines_cover_json_sparkplug_modbus_and_an_excavator()
    {
        var plan = FleetPlan.Create(6);

        Assert.Contains(plan, m => m.Protocol == Protocol.Sparkplug);
        Assert.Contains(plan, m => m.Protocol == Protocol.Modbus);
        Assert.Contains(plan, m => m.Kind == MachineKind.Construction);
        Assert.Equal(FleetPlan.Create(6), plan);
    }

    [Theory]
    [MemberData(nameof(ModelTests.Kinds), MemberType = typeof(ModelTests))]
    public void A_modbus_map_gives_every_non_text_tag_its_own_registers(MachineKind kind)
    {
        var type = MachineCatalog.For(kind);
        var map = ModbusMap.For(type);

        Assert.Equal(type.Tags.Where(t => t.DataType != "string").Select(t => t.Name), map.Select(p => p.Tag));
        foreach (var area in map.GroupBy(p => p.Area))
        {
            var used = area.SelectMany(p => Enumerable.Range(p.Address, p.IsBit ? 1 : p.Width)).ToList();
            Assert.Equal(used.Count, used.Distinct().Count());
        }
    }
}
