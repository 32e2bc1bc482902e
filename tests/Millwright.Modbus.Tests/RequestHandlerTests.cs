namespace Millwright.Modbus.Tests;

public sealed class RequestHandlerTests
{
    private readonly ModbusRegisterBank _bank = new(100, 100, 100, 100);

    private string Handle(string hex)
    {
        var response = new byte[ModbusLimits.MaxAduLength];
        var length = ModbusRequestHandler.Handle(Convert.FromHexString(hex), response, _bank);
        return Convert.ToHexString(response, 0, length);
    }

    [Theory]
    [InlineData("0001000000060103" + "00000000", "00010000000301" + "8303")]
    [InlineData("0001000000060103" + "0000007E", "00010000000301" + "8303")]
    [InlineData("0001000000060101" + "000007D1", "00010000000301" + "8103")]
    [InlineData("0001000000060103" + "0060000A", "00010000000301" + "8302")]
    [InlineData("0001000000060105" + "00011234", "00010000000301" + "8503")]
    [InlineData("0001000000060106" + "00640001", "00010000000301" + "8602")]
    [InlineData("0001000000070110" + "0000000102", "00010000000301" + "9003")]
    [InlineData("000100000008010F" + "0000000A0100", "00010000000301" + "8F03")]
    [InlineData("0001000000020108", "00010000000301" + "8801")]
    [InlineData("0001000000050103" + "000000", "00010000000301" + "8303")]
    public void Bad_requests_get_the_exception_code_the_spec_assigns(string request, string expected)
    {
        Assert.Equal(expected, Handle(request));
    }

    [Theory]
    [InlineData("00010001000601030000000A")]
    [InlineData("0001000000010103")]
    [InlineData("00010000000601000000000A")]
    [InlineData("00010000000601830000000A")]
    [InlineData("000100000006010300")]
    public void Requests_with_a_broken_header_or_no_valid_function_close_the_connection(string request)
    {
        Assert.Equal("", Handle(request));
    }

    [Fact]
    public void A_multiple_register_write_is_applied_and_echoed()
    {
        Assert.Equal("000700000006091000050002", Handle("00070000000B09" + "1000050002040001FFFF"));
        Assert.Equal(new ushort[] { 1, 0xFFFF }, _bank.GetRegisters(ModbusArea.HoldingRegister, 5, 2));
    }
}
