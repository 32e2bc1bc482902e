using Microsoft.Playwright;

namespace Millwright.DashboardBench;

/// <summary>How the fleet benches pan: the held mouse goes round circles of 150 px about the canvas's centre, so the map keeps moving, in every direction.</summary>
internal static class MapDrag
{
    /// <summary>Moves the mouse to the step-th point of the circle (60 steps a turn).</summary>
    public static Task CircleStepAsync(IMouse mouse, float cx, float cy, int step)
    {
        var angle = step * Math.PI / 30;
        return mouse.MoveAsync(cx + (float)(150 * Math.Cos(angle)), cy + (float)(150 * Math.Sin(angle)));
    }
}
