using Millwright.Api;

namespace Millwright.Features.Embroidery;

/// <summary>Machines' set-ups (needles, speed, stop times): recorded by an operator, read for plan timing and needle plans.</summary>
internal static class MachineSetups
{
    public static async Task<MachineSetup> GetAsync(Session s, long machineId)
    {
        await EnsureMachineAsync(s, machineId);
        return await EmbroideryStore.SetupAsync(s, machineId)
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, "Not set up", $"Machine {machineId} has no embroidery set-up recorded.");
    }

    public static async Task<MachineSetup> PutAsync(Session s, long machineId, MachineSetupInput input, EmbroideryOptions options)
    {
        var setup = input.Validate(machineId, options);
        await EnsureMachineAsync(s, machineId);
        await EmbroideryStore.PutSetupAsync(s, setup);
        await s.AuditAsync("update", "embroidery-machine", machineId,
            $"machine {machineId}: {setup.StitchesPerMinute} stitches/min, needles {string.Join(" ", setup.Needles.Select(n => n ?? "-"))}");
        return (await EmbroideryStore.SetupAsync(s, machineId))!;
    }

    /// <summary>The design's thread plan on the machine, from its recorded set-up or, without one, what is assumed.</summary>
    public static async Task<NeedlePlanDto> PlanAsync(Session s, DesignRow design, long machineId, EmbroideryOptions options)
    {
        var setup = await EmbroideryStore.SetupAsync(s, machineId) ?? MachineSetup.Assumed(machineId, design, options);
        return NeedlePlanDto.Of(design, DesignOnMachine.Of(design, setup));
    }

    public static async Task EnsureMachineAsync(Session s, long machineId)
    {
        if (!await EmbroideryStore.MachineExistsAsync(s, machineId))
        {
            throw ApiProblem.NotFound("machine", machineId);
        }
    }
}
