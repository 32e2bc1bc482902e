namespace Millwright.Design.Parameters;

/// <summary>A formula that cannot be read or evaluated: a syntax error, an unknown unit, or a dimension mismatch.</summary>
internal sealed class FormulaException(string message) : Exception(message);
