namespace Millwright.OpcUa;

/// <summary>OPC 10000-4 7.41: TokenType 0 anonymous, 1 user name, 2 certificate, 3 issued token.</summary>
internal sealed record UserTokenPolicy(string? PolicyId, int TokenType, string? SecurityPolicyUri);
