using System.Text;
using Millwright.Features.Makerspace;
using Millwright.Fuzzing;

namespace Millwright.Tests.Fuzzing;

/// <summary>
/// Uploaded attachments and typed idea text are untrusted: mutated bytes may only be accepted or refused with a
/// reason by the type check, and only tokenized (never throw) by the duplicate index.
/// </summary>
public sealed class AttachmentTypeFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 16],
        "GIF89a\x01\x00"u8.ToArray(),
        "RIFF\x10\x00\x00\x00WEBPVP8 "u8.ToArray(),
        "%PDF-1.7\n%âãÏÓ"u8.ToArray(),
        "Self-cleaning lint filter — déjà vu, 乾燥機"u8.ToArray(),
    ];

    [Fact]
    public void Mutated_uploads_are_only_accepted_or_refused_with_a_reason_and_mutated_text_only_tokenized()
    {
        var engine = new MutationEngine(Seeds, randomSeed: 20261206, fields: []);
        var index = new Bm25Index([new IndexedIdea(1, "Lint filter", "cleans itself", ["dryer"])]);
        for (var i = 0; i < 100_000; i++)
        {
            var (_, input) = engine.Next();
            foreach (var type in AttachmentTypes.Allowed.Append("text/html"))
            {
                var refusal = AttachmentTypes.Check(type, input);
                Assert.True(refusal is null || refusal.Length > 0);
            }

            var text = Encoding.UTF8.GetString(input);
            Assert.All(TextTokens.Of(text), t => Assert.True(t.Length > 1));
            Assert.All(index.Score(text).Values, s => Assert.True(double.IsFinite(s) && s > 0));
        }
    }

    [Fact]
    public void Text_with_a_NUL_or_broken_UTF_8_is_not_text()
    {
        Assert.NotNull(AttachmentTypes.Check("text/plain", [0x61, 0x00]));
        Assert.NotNull(AttachmentTypes.Check("text/plain", [0x61, 0xC3]));
        Assert.Null(AttachmentTypes.Check("text/plain", "é"u8));
    }
}
