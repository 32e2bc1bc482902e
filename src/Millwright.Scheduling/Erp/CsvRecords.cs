using System.Text;

namespace Millwright.Scheduling.Erp;

/// <summary>
/// Splits RFC 4180 text into records of fields, remembering the line each field starts on. Fields are separated by
/// commas; a field that starts with a double quote runs to the matching quote ("" inside stands for one quote) and
/// may span lines. A record ends at CRLF, LF or a lone CR; blank lines are skipped. Anything else (a quote in the
/// middle of a plain field, text after a closing quote, an unclosed quote) is refused with its position.
/// </summary>
internal static class CsvRecords
{
    /// <summary>One field: its text, the line it starts on and its 1-based position in the record.</summary>
    public readonly record struct Field(string Text, int Line, int Column);

    public static List<Field[]> Split(string text, int maxRecords)
    {
        var records = new List<Field[]>();
        var fields = new List<Field>();
        var value = new StringBuilder();
        var line = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        while (i <= text.Length)
        {
            var fieldLine = line;
            var column = fields.Count + 1;
            value.Clear();
            var quoted = i < text.Length && text[i] == '"';
            if (quoted)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new ErpCsvException(fieldLine, column, "", "a quoted field is not closed before the end of the file");
                    }

                    var c = text[i++];
                    if (c == '"')
                    {
                        if (i < text.Length && text[i] == '"')
                        {
                            value.Append('"');
                            i++;
                            continue;
                        }

                        break;
                    }

                    if (c == '\n' || (c == '\r' && (i >= text.Length || text[i] != '\n')))
                    {
                        line++;
                    }

                    value.Append(c);
                }

                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    throw new ErpCsvException(line, column, "", "a closing quote must be followed by a comma or the end of the line");
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    if (text[i] == '"')
                    {
                        throw new ErpCsvException(line, column, "", "a double quote inside a field that does not start with one (quote the whole field and double the quote)");
                    }

                    value.Append(text[i++]);
                }
            }

            fields.Add(new Field(value.ToString(), fieldLine, column));
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            // End of the record: the line ends here or the text does.
            if (!(fields.Count == 1 && fields[0].Text.Length == 0 && !quoted))
            {
                if (records.Count == maxRecords)
                {
                    throw new ErpCsvException(line, 1, "", $"more than {maxRecords - 1:N0} orders in one file; split it");
                }

                records.Add([.. fields]);
            }

            fields.Clear();
            if (i >= text.Length)
            {
                break;
            }

            i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            line++;
            if (i == text.Length)
            {
                break;
            }
        }

        return records;
    }
}
