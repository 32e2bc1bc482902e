namespace Millwright.Features.Live;

internal enum LiveRequestKind
{
    /// <summary><c>{"key": "mwk_..."}</c>: a browser's login, the first message when no header carried a key.</summary>
    Authenticate,
    Subscribe,
    Unsubscribe,
}
