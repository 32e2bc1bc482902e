using System.Text.Json;
using System.Text.Json.Nodes;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Provisioning;

/// <summary>
/// Makes the platform's registry match a fleet plan: sites, areas, lines, the simulator's machine types and
/// the machines, found by name when they exist and created when not, so a re-run reuses them. Every run
/// issues each machine a new device credential (the platform revokes the old one) because secrets are
/// shown only once. Modbus machines get their register map registered for polling.
/// </summary>
internal sealed class Provisioner(PlatformApi api, Action<string> log)
{
    public static readonly (double Latitude, double Longitude) FactoryLocation = (45.7640, 4.8357);
    public static readonly (double Latitude, double Longitude) JobSiteLocation = (45.7790, 4.9010);

    private const string MeterType = "Simulated power meter";

    /// <summary>False when the platform has no Modbus registry route yet (404): the machines still serve Modbus.</summary>
    public bool ModbusRegistryAvailable { get; private set; } = true;

    /// <summary>False once the platform answered 404 to an OPC UA connection: its machines then serve nodes no one reads.</summary>
    public bool OpcUaRegistryAvailable { get; private set; } = true;

    public async Task<IReadOnlyList<ProvisionedMachine>> ProvisionAsync(
        IReadOnlyList<PlannedMachine> plan, string modbusHost, int modbusBasePort, CancellationToken cancellationToken)
    {
        var types = new Dictionary<MachineKind, long>();
        foreach (var kind in plan.Select(p => p.Kind).Distinct())
        {
            var type = MachineCatalog.For(kind);
            types[kind] = await EnsureTypeAsync(type, cancellationToken);

            // So the platform derives running, setup, idle and down from the tags, and raises an alarm when a
            // machine reports a fault code (a platform without states answers 404: then neither).
            if (await api.TryPutAsync($"/api/v1/machine-types/{types[kind]}/state-rules", StateRuleCatalog.For(kind), cancellationToken))
            {
                var code = kind == MachineKind.Construction ? "fault_code" : "alarm_code";
                var rule = $"{type.NamePrefix}: {code.Replace('_', ' ')} set";
                await api.EnsureAsync("alarm-rules", rule, new
                {
                    name = rule, machineTypeId = types[kind], tag = code, kind = "threshold", direction = "high",
                    limit = 0.5, deadband = 0, severity = "high", message = "{machine}: {tag} {value}",
                }, cancellationToken, "machineTypeId", types[kind]);
            }
        }

        var sites = new Dictionary<string, long>();
        var areas = new Dictionary<(string, string), long>();
        var lines = new Dictionary<(string, string, string), long>();
        var result = new List<ProvisionedMachine>(plan.Count);
        var modbusIndex = 0;
        foreach (var machine in plan)
        {
            if (!sites.TryGetValue(machine.Site, out var siteId))
            {
                var (lat, lon) = machine.Site == FleetPlan.JobSite ? JobSiteLocation : FactoryLocation;
                siteId = sites[machine.Site] = await api.EnsureAsync("sites", machine.Site,
                    new { name = machine.Site, timeZone = "Europe/Paris", latitude = lat, longitude = lon }, cancellationToken);
            }

            if (!areas.TryGetValue((machine.Site, machine.Area), out var areaId))
            {
                areaId = areas[(machine.Site, machine.Area)] = await api.EnsureAsync("areas", machine.Area,
                    new { siteId, name = machine.Area }, cancellationToken, "siteId", siteId);
            }

            if (!lines.TryGetValue((machine.Site, machine.Area, machine.Line), out var lineId))
            {
                lineId = lines[(machine.Site, machine.Area, machine.Line)] = await api.EnsureAsync("lines", machine.Line,
                    new { areaId, name = machine.Line }, cancellationToken, "areaId", areaId);
            }

            var machineId = await api.EnsureAsync("machines", machine.Name,
                new { lineId, typeId = types[machine.Kind], name = machine.Name, description = $"Simulated, speaks {machine.Protocol}" }, cancellationToken);
            var credential = await api.PostAsync($"/api/v1/machines/{machineId}/credentials", null, cancellationToken);
            // Modbus and OPC UA machines are servers the platform connects to, each on its own port of the range.
            var port = machine.Protocol is Protocol.Modbus or Protocol.OpcUa ? modbusBasePort + modbusIndex++ : 0;
            if (machine.Protocol == Protocol.Modbus && ModbusRegistryAvailable)
            {
                await RegisterModbusAsync(machineId, machine, modbusHost, port, cancellationToken);
            }
            else if (machine.Protocol == Protocol.OpcUa && OpcUaRegistryAvailable)
            {
                await RegisterOpcUaAsync(machineId, machine, modbusHost, port, cancellationToken);
            }

            result.Add(new ProvisionedMachine(machine, machineId, credential["username"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), port));
        }

        log($"provisioned {result.Count} machines ({types.Count} machine types, {sites.Count} sites, {lines.Count} lines)");
        return result;
    }

    /// <summary>
    /// The factory's power meter (docs/energy.md): a Modbus machine with the platform's "power-meter" register
    /// template on the supply of the first injection moulding machine (the biggest consumer; else the first machine that
    /// reports power), registered as that machine's energy meter. Null when no machine draws power or the platform has
    /// no Modbus or energy registry.
    /// </summary>
    public async Task<ProvisionedMeter?> ProvisionMeterAsync(IReadOnlyList<ProvisionedMachine> machines, string modbusHost, int port, CancellationToken cancellationToken)
    {
        static bool DrawsPower(ProvisionedMachine m) => MachineCatalog.For(m.Plan.Kind).Tags.Any(t => t.Name == "power");
        var measured = machines.FirstOrDefault(m => m.Plan.Kind == MachineKind.InjectionMoulding) ?? machines.FirstOrDefault(DrawsPower);
        if (measured is null || !ModbusRegistryAvailable)
        {
            return null;
        }

        var typeId = await api.EnsureAsync("machine-types", MeterType, new
        {
            name = MeterType,
            description = "A three-phase DIN-rail power meter read over Modbus TCP (the platform's power-meter register template)",
            tags = new object[]
            {
                new { name = "voltage", unit = "V", dataType = "float", kind = "gauge" }, new { name = "current", unit = "A", dataType = "float", kind = "gauge" },
                new { name = "power", unit = "kW", dataType = "float", kind = "gauge" }, new { name = "power_factor", unit = "1", dataType = "float", kind = "gauge" },
                new { name = "frequency", unit = "Hz", dataType = "float", kind = "gauge" }, new { name = "energy", unit = "kWh", dataType = "float", kind = "counter" },
            },
        }, cancellationToken);
        var lineId = (await api.FindAsync("machines", measured.Name, null, null, cancellationToken))?["lineId"]?.GetValue<long>()
            ?? throw new ProvisioningException(ProvisioningFailure.Rejected, $"machine {measured.Name} vanished while provisioning");
        const string Name = "meter-001";
        var id = await api.EnsureAsync("machines", Name,
            new { lineId, typeId, name = Name, description = $"Simulated power meter on the supply of {measured.Name}, speaks Modbus" }, cancellationToken);
        try
        {
            if (!await api.TryPutAsync($"/api/v1/machines/{id}/modbus", new { host = modbusHost, port, unitId = 1, intervalMs = 1000, timeoutMs = 1000, template = "power-meter" }, cancellationToken)
                || !await api.TryPutAsync($"/api/v1/machines/{measured.Id}/energy-meter", new { meterMachineId = id, counterTag = "energy", unit = "kWh" }, cancellationToken))
            {
                log("the platform has no energy registry yet: the power meter is not provisioned");
                return null;
            }
        }
        catch (ProvisioningException e) when (e.Failure == ProvisioningFailure.Rejected)
        {
            // A platform whose egress policy does not let this tenant reach the simulator's ports (serve without
            // --egress-allow) refuses the meter's connection: the factory runs without its meter.
            log($"the platform refused the power meter ({e.Message}): the factory runs without it");
            return null;
        }

        log($"power meter {Name} (Modbus port {port}) measures {measured.Name}");
        return new ProvisionedMeter(id, Name, measured.Id, measured.Name, port);
    }

    /// <summary>
    /// Finds or creates the kind's machine type. A type made by an older simulator lacks the tags added since
    /// (embroidery's design_count, the printer's build_count): those are added, keeping any tags a user added,
    /// so that the state rules naming them are accepted.
    /// </summary>
    private async Task<long> EnsureTypeAsync(MachineTypeDefinition type, CancellationToken cancellationToken)
    {
        var ours = type.Tags.Select(t => JsonSerializer.SerializeToNode(new { name = t.Name, unit = t.Unit, dataType = t.DataType, kind = t.Kind, min = t.Min, max = t.Max })!);
        var found = await api.FindAsync("machine-types", type.Name, null, null, cancellationToken);
        if (found is null)
        {
            var created = await api.PostAsync("/api/v1/machine-types", new { name = type.Name, description = type.Description, tags = ours }, cancellationToken);
            return created["id"]!.GetValue<long>();
        }

        var id = found["id"]!.GetValue<long>();
        var existing = found["tags"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var names = existing.Select(t => t["name"]?.GetValue<string>()).ToHashSet();
        var missing = ours.Where(t => !names.Contains(t["name"]!.GetValue<string>())).ToList();
        if (missing.Count > 0)
        {
            await api.PutAsync($"/api/v1/machine-types/{id}", new
            {
                name = type.Name,
                description = found["description"]?.GetValue<string>(),
                tags = existing.Select(t => t.DeepClone()).Concat(missing),
                unknownTags = found["unknownTags"]?.GetValue<string>(),
                invalidValues = found["invalidValues"]?.GetValue<string>(),
            }, cancellationToken);
            log($"machine type '{type.Name}': added {string.Join(", ", missing.Select(t => t["name"]))}");
        }

        return id;
    }

    private async Task RegisterOpcUaAsync(long machineId, PlannedMachine machine, string host, int port, CancellationToken cancellationToken)
    {
        var body = new
        {
            endpoint = $"opc.tcp://{host}:{port}",
            publishingIntervalMs = 1000,
            nodes = MachineCatalog.For(machine.Kind).Tags.Select(t => new { nodeId = OpcUaDriver.NodeFor(t.Name).ToString(), tag = t.Name }),
            // Every simulated OPC UA machine serves the job object (it takes jobs in job mode, and leaves it idle otherwise).
            commands = OpcUaJobObject.Contract(),
        };
        try
        {
            if (!await api.TryPutAsync($"/api/v1/machines/{machineId}/opcua", body, cancellationToken))
            {
                OpcUaRegistryAvailable = false;
                log("the platform has no OPC UA registry (PUT /api/v1/machines/{id}/opcua answered 404): OPC UA machines serve their nodes, but nothing subscribes to them");
            }
        }
        catch (ProvisioningException e) when (e.Failure == ProvisioningFailure.Rejected)
        {
            // A platform whose egress policy does not let this tenant reach the simulator's ports (serve without --egress-allow).
            log($"the platform refused {machine.Name}'s OPC UA connection ({e.Message}): it serves its nodes, but nothing subscribes to them");
        }
    }

    private async Task RegisterModbusAsync(long machineId, PlannedMachine machine, string host, int port, CancellationToken cancellationToken)
    {
        var body = new
        {
            host,
            port,
            unitId = 1,
            intervalMs = 1000,
            timeoutMs = 1000,
            points = ModbusMap.For(MachineCatalog.For(machine.Kind)).Select(ModbusMap.AsContract),
            // Every simulated Modbus machine serves the job block (it takes jobs in job mode, and leaves it idle otherwise).
            commands = ModbusJobBlock.Contract(),
        };
        if (!await api.TryPutAsync($"/api/v1/machines/{machineId}/modbus", body, cancellationToken))
        {
            ModbusRegistryAvailable = false;
            log("the platform has no Modbus registry yet (PUT /api/v1/machines/{id}/modbus answered 404): "
                + "Modbus machines serve their registers, but nothing will poll them");
        }
    }
}
