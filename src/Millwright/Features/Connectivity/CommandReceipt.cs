namespace Millwright.Features.Connectivity;

/// <summary>What became of a command: sent to <see cref="Address"/> by <see cref="Transport"/>, or refused for <see cref="Refusal"/>.</summary>
internal sealed record CommandReceipt(string Transport, string? Address, string? Refusal)
{
    public bool Sent => Refusal is null;

    public static CommandReceipt SentTo(string transport, string address) => new(transport, address, null);

    public static CommandReceipt Refused(string transport, string refusal) => new(transport, null, refusal);
}
