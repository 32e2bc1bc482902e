namespace Millwright.Simulator.Provisioning;

/// <summary>Why provisioning could not go on: the key was refused, the API was unreachable, or it answered nonsense.</summary>
internal sealed class ProvisioningException(ProvisioningFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ProvisioningFailure Failure { get; } = failure;
}
