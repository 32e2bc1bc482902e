namespace Millwright.Scheduling.Model;

/// <summary>
/// One step of a job. More than one option makes the shop flexible. <paramref name="SetupFamily"/> picks the row and
/// column of the machines' setup matrices (see <see cref="SetupTimes"/>); it is ignored when the instance has no setups.
/// </summary>
public sealed record ShopOperation(IReadOnlyList<MachineOption> Options, int SetupFamily = 0)
{
    public static ShopOperation On(int machine, int duration) => new([new MachineOption(machine, duration)]);
}
