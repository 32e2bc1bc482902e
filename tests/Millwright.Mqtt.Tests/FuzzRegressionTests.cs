using Millwright.Fuzzing;

namespace Millwright.Mqtt.Tests;

/// <summary>
/// Every input that ever broke the decoder or the encode/decode round trip stays here (DESIGN.md: protocol
/// code). Each is run through the same target as the fuzzer and must not crash.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    // Seeded by hand: the edges the fuzzer is meant to find, kept so they are always checked.
    [InlineData("30FFFFFFFF7F")] // five-byte remaining length
    [InlineData("30FFFFFF7F")] // the largest remaining length, body missing
    [InlineData("1000")] // empty CONNECT
    [InlineData("")] // nothing at all
    // Found by the fuzzer (case 37 of the first run): a CONNECT without password decoded with an empty,
    // non-null password, which 3.1.1 cannot encode without a user name. Cause: `cond ? byte[] : null` assigned
    // to a ReadOnlyMemory<byte>? is never null; optional binary fields are byte[]? since.
    [InlineData("101100044D5154540402003C0005706C632D37")]
    public void A_past_crash_input_is_handled(string hex)
    {
        MqttFuzzTarget.Run(Wire.Hex(hex), new FuzzStats(), variant: 0);
        MqttFuzzTarget.Run(Wire.Hex(hex), new FuzzStats(), variant: 1);
        MqttFuzzTarget.Run(Wire.Hex(hex), new FuzzStats(), variant: 2);
    }
}
