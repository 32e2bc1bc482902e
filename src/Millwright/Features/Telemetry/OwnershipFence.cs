using Millwright.Api;
using Millwright.Storage;

namespace Millwright.Features.Telemetry;

/// <summary>
/// The ownership fence as an answer, for writers that skip a refused machine and go on with the rest of their work
/// (the alarm writer, the geofence and anomaly watchers), so that each of them only logs the refusal.
/// </summary>
internal static class OwnershipFence
{
    /// <summary>
    /// Null when the write may go on (always on a single node: <paramref name="ownership"/> null); otherwise why it is
    /// refused (see <see cref="IMachineOwnership.FenceAsync"/>). A refusal writes nothing, and the session's
    /// transaction stays usable for the other machines' writes.
    /// </summary>
    public static async Task<string?> RefusalAsync(this IMachineOwnership? ownership, Session session, long machineId, long? token = null)
    {
        if (ownership is null)
        {
            return null;
        }

        try
        {
            await ownership.FenceAsync(session, machineId, token);
            return null;
        }
        catch (WriteFencedException e)
        {
            return e.Message;
        }
    }
}
