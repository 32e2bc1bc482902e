namespace Millwright.Features.Connectivity;

/// <summary>
/// The one way a feature sends work to a machine and hears its answers (docs/architecture.md, "Commands to
/// machines"). The sender names the machine and the payload; which transport carries it (today an MQTT publish to
/// <c>mw/{tenant}/{device}/cmd</c>) is the port's business. Answers come back to the handlers features register.
/// </summary>
internal interface IMachineCommands
{
    /// <summary>Sends the command, or says why the machine's transport cannot take it; never throws for a refusal.</summary>
    ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken);

    /// <summary>Adds a handler for answers, after those registered at start; disposing the result removes it.</summary>
    IDisposable Subscribe(IMachineAckHandler handler);
}
