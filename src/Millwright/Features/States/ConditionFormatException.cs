namespace Millwright.Features.States;

/// <summary>The one refusal of <see cref="ConditionParser"/>: what is wrong, and at which character (0-based).</summary>
internal sealed class ConditionFormatException(string message, int position)
    : Exception($"{message} at position {position + 1}")
{
    public int Position { get; } = position;
}
