namespace Millwright.OpcUa.Tests;

public sealed class BrowsePathTests
{
    [Fact]
    public void A_path_is_browse_names_from_the_root_with_optional_namespace_indexes()
    {
        var path = BrowsePath.Parse("/Objects/2:Machine/2:Spindle/Speed");

        Assert.Equal([new QualifiedName(0, "Objects"), new QualifiedName(2, "Machine"), new QualifiedName(2, "Spindle"), new QualifiedName(0, "Speed")], path.Names);
        Assert.Equal("/Objects/2:Machine/2:Spindle/Speed", path.ToString());
    }

    [Theory]
    [InlineData("/Objects/2:A&/B", 2, "A/B")]
    [InlineData("/Objects/2&:Machine", 0, "2:Machine")]
    [InlineData("/Objects/Tool:7", 0, "Tool:7")]
    [InlineData("/Objects/3:a&&b", 3, "a&b")]
    public void An_ampersand_escapes_the_next_character_and_the_path_writes_back_to_itself(string text, ushort ns, string last)
    {
        var path = BrowsePath.Parse(text);

        Assert.Equal(new QualifiedName(ns, last), path.Names[^1]);
        Assert.Equal(path, BrowsePath.Parse(path.ToString()), new NamesComparer());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Objects/Machine")]
    [InlineData("/")]
    [InlineData("/Objects//Machine")]
    [InlineData("/Objects/")]
    [InlineData("/Objects/2:")]
    [InlineData("/Objects/99999:Machine")]
    [InlineData("/Objects/Machine&")]
    public void A_malformed_path_is_refused_with_a_reason(string text)
    {
        Assert.False(BrowsePath.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Too_long_or_too_deep_a_path_is_refused()
    {
        Assert.False(BrowsePath.TryParse("/" + new string('a', BrowsePath.MaxLength), out _, out _));
        Assert.False(BrowsePath.TryParse(string.Concat(Enumerable.Repeat("/a", BrowsePath.MaxElements + 1)), out _, out _));
        Assert.True(BrowsePath.TryParse(string.Concat(Enumerable.Repeat("/a", BrowsePath.MaxElements)), out _, out _));
    }

    [Fact]
    public void Random_and_mutated_text_only_parses_or_is_refused_and_what_parses_writes_back_to_the_same_names()
    {
        var random = new Random(19);
        const string alphabet = "/&:.<>#!02aZ ü";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = random.Next(8) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            if (BrowsePath.TryParse(text, out var path, out var error))
            {
                Assert.Equal(path, BrowsePath.Parse(path.ToString()), new NamesComparer());
            }
            else
            {
                Assert.NotEmpty(error);
            }
        }
    }

    private sealed class NamesComparer : IEqualityComparer<BrowsePath>
    {
        public bool Equals(BrowsePath? x, BrowsePath? y) => x is not null && y is not null && x.Names.SequenceEqual(y.Names);

        public int GetHashCode(BrowsePath obj) => obj.Names.Count;
    }
}
