using Millwright.Fuzzing;

namespace Millwright.Sparkplug.Tests;

public sealed class FuzzTests
{
    [Fact]
    public void Two_hundred_thousand_mutated_payloads_yield_only_messages_or_the_protocol_exception()
    {
        // Any other exception escapes RunOne and fails the test; the bench driver runs the same target for 10M cases.
        var target = new SparkplugFuzzTarget(randomSeed: 7);

        for (var i = 0; i < 200_000; i++)
        {
            target.RunOne();
        }

        Assert.Equal(200_000, target.Cases);
        Assert.True(target.Decoded > 1_000, $"only {target.Decoded} mutated payloads decoded; the seeds are too fragile");
        Assert.True(target.Rejected > 1_000);
    }

    // Inputs that once broke the decoder, found by the fuzzer. Keep them forever.
    [Theory]
    // Google.Protobuf IndexOutOfRangeException: metric length 0x7FFFFFFF overflows PushLimit (protobuf#26856).
    [InlineData("spBv1.0/Plant1/DDATA/Cell7/CNC-01",
        "0880B8FDB09934120B10061880B8FDB09934500712FFFFFFFF07100D1880B8FDB09934690000000000000440121210161880B8FDB099347A076E6F77207365741211101B1880B8FDFF993482010501000000801803")]
    // Same overflow surfacing as ArgumentOutOfRangeException from an unknown field after it.
    [InlineData("spBv1.0/Plant1/DBIRTH/Cell7/CNC-01",
        "0880B8FDB0993412170A04496E743810041880B8FDB09934200150F9FFFFFF0F12180A05496E747F3610051880B8FDB09934200250AEF6FFFF0F12180A05496E74333210061880B8FDB09934200350C0BBF8FF0F121D0A05496E74363410071880B8FDB09934200458B5F693F088DCFFFFFF0112FFFFFFFF070A0555496E743810081880B8FDB09934200550C80112170A0655496E74313610091880B8FDB09934200650E0D40312190A0655496E743332100A1880B8FDB0993420075080D0ACF30E121E0A0655496E743634100B1880B8FDB099342008588080A0A89C94B6E6F90112170A05466C6F6174100C1880B8FDB0993420096500004841121C0A06446F7562")]
    // Utf8JsonReader.GetString InvalidOperationException: invalid UTF-8 in a STATE member name.
    [InlineData("spBv1.0/STATE/millwright", "7B226F6EEC496E65223A747275652C2274696D657374616D702A3B313739333532323030303032307D")]
    public void Inputs_that_once_broke_the_decoder_are_refused_with_the_protocol_exception(string topic, string hex)
    {
        var target = new SparkplugFuzzTarget(randomSeed: 1);

        Assert.False(target.Execute(SparkplugTopic.Parse(topic), Convert.FromHexString(hex)));
    }
}
