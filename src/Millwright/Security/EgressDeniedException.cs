namespace Millwright.Security;

/// <summary>The egress policy refused a connection; the message is safe to show the tenant (it carries nothing from the target).</summary>
internal sealed class EgressDeniedException : Exception
{
    public EgressDeniedException() { }

    public EgressDeniedException(string message) : base(message) { }

    public EgressDeniedException(string message, Exception innerException) : base(message, innerException) { }
}
