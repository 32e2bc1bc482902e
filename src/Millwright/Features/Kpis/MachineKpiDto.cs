namespace Millwright.Features.Kpis;

/// <summary>
/// One machine's KPIs over the board's range, with the inputs they come from, so a screen can add machines up
/// into line and site figures the way the KPI report does (sums of inputs, never averages of ratios).
/// </summary>
internal sealed record MachineKpiDto(long MachineId, KpiInputs Inputs, KpiValues Kpis);
