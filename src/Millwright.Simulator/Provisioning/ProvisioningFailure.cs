namespace Millwright.Simulator.Provisioning;

internal enum ProvisioningFailure
{
    /// <summary>401 or 403: a wrong, revoked or too weak key (operator or tenant admin is needed).</summary>
    Unauthorized,

    /// <summary>No answer: wrong address, platform not running.</summary>
    Unreachable,

    /// <summary>The platform refused a request the simulator thought valid.</summary>
    Rejected,
}
