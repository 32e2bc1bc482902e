namespace Millwright.Api;

/// <summary>CSV cells for exports that people open in spreadsheets (RFC 4180 quoting plus a formula guard).</summary>
internal static class CsvCells
{
    /// <summary>
    /// Quotes a text cell. A cell starting with = + - @ is run as a formula by spreadsheets, and so is one
    /// starting with a tab or carriage return that the spreadsheet strips first (OWASP's CSV injection advice):
    /// such cells get a leading apostrophe, so device or user text is shown, never run.
    /// </summary>
    public static string Quote(string text) =>
        "\"" + (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" : "") + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
