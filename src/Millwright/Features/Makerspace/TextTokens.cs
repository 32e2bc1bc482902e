using System.Text;

namespace Millwright.Features.Makerspace;

/// <summary>
/// Turns text into search terms: lower-cased runs of letters and digits, English stop words dropped, and a
/// light suffix stripping (plurals, -ing, -ed) so that "lids" meets "lid" and "folding" meets "fold".
/// Deliberately small: duplicate detection needs recall on near-paraphrases, not linguistic precision.
/// </summary>
internal static class TextTokens
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "for", "from", "has", "have", "how", "i", "if",
        "in", "into", "is", "it", "its", "me", "more", "my", "no", "not", "of", "on", "or", "our", "so", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when",
        "which", "while", "who", "will", "with", "would", "you", "your", "should", "just", "also", "any", "all", "get", "make",
        "like", "want", "need", "idea", "please", "some", "one", "other", "than", "out", "about",
    ];

    /// <summary>Longest text tokenized: a query or idea beyond this is cut (the index is for titles and descriptions).</summary>
    public const int MaxChars = 20_000;

    public static List<string> Of(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return terms;
        }

        var word = new StringBuilder();
        var span = text.AsSpan(0, Math.Min(text.Length, MaxChars));
        foreach (var c in span)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush(word, terms);
            }
        }

        Flush(word, terms);
        return terms;
    }

    private static void Flush(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        var w = word.ToString();
        word.Clear();
        if (w.Length > 1 && !StopWords.Contains(w))
        {
            terms.Add(Stem(w));
        }
    }

    /// <summary>Strips one common English suffix, keeping at least three characters of stem.</summary>
    public static string Stem(string w)
    {
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            return w[..^3] + "y";
        }

        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal))
        {
            return Undouble(w[..^3]);
        }

        if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal))
        {
            return Undouble(w[..^2]);
        }

        if (w.Length > 4 && (w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal) || w.EndsWith("sses", StringComparison.Ordinal)))
        {
            return w[..^2];
        }

        if (w.Length > 3 && w[^1] == 's' && w[^2] is not ('s' or 'u' or 'i'))
        {
            return w[..^1];
        }

        return w;
    }

    // "cutting" → "cutt" → "cut"; "stopped" → "stopp" → "stop".
    private static string Undouble(string stem) =>
        stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;
}
