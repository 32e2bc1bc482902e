using Millwright.Fuzzing;

namespace Millwright.Modbus.Tests;

public sealed class ResponseParserTests
{
    private const ushort Tid = ModbusFuzzTargets.TransactionId;
    private const byte Unit = ModbusFuzzTargets.UnitId;
    private static readonly ModbusRequest ReadThree = new(ModbusFunction.ReadHoldingRegisters, 0, 3);

    private static ModbusResponse Parse(string hex, ModbusRequest request) => ModbusResponseParser.Parse(Convert.FromHexString(hex), request, Tid, Unit);

    [Fact]
    public void A_holding_register_response_yields_the_registers_in_order()
    {
        var response = Parse("12340000000911" + "0306" + "0001FFFE8000", ReadThree);
        Assert.Equal(new ushort[] { 1, 0xFFFE, 0x8000 }, response.Registers);
    }

    [Fact]
    public void Coil_bits_are_read_least_significant_bit_first()
    {
        // Application protocol 6.1 example: coils 20-38 = CD 6B 05.
        var response = Parse("12340000000611" + "0103CD6B05", new(ModbusFunction.ReadCoils, 19, 19));
        Assert.Equal([true, false, true, true, false, false, true, true], response.Bits![..8]);
        Assert.Equal([true, false, true], response.Bits[16..]);
    }

    [Theory]
    [InlineData("12350000000911" + "0306" + "0001FFFE8000", "Transaction id")]
    [InlineData("12340000000912" + "0306" + "0001FFFE8000", "Unit id")]
    [InlineData("12340001000911" + "0306" + "0001FFFE8000", "protocol id")]
    [InlineData("12340000000A11" + "0306" + "0001FFFE8000", "MBAP length")]
    [InlineData("12340000000911" + "0406" + "0001FFFE8000", "Function code")]
    [InlineData("12340000000911" + "0308" + "0001FFFE8000", "Byte count")]
    [InlineData("12340000000B11" + "0306" + "0001FFFE80000000", "trailing")]
    [InlineData("12340000000011", "MBAP length")]
    [InlineData("12340000000111", "MBAP length")]
    [InlineData("1234000000FF11" + "03", "MBAP length")]
    [InlineData("123400000002", "truncated")]
    [InlineData("12340000000311" + "8300", "Exception code")]
    [InlineData("12340000000311" + "830C", "Exception code")]
    [InlineData("12340000000411" + "830200", "trailing")]
    public void Malformed_responses_raise_the_protocol_exception(string hex, string reason)
    {
        var error = Assert.Throws<ModbusProtocolException>(() => Parse(hex, ReadThree));
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(1, ModbusExceptionCode.IllegalFunction)]
    [InlineData(2, ModbusExceptionCode.IllegalDataAddress)]
    [InlineData(3, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(4, ModbusExceptionCode.ServerDeviceFailure)]
    [InlineData(5, ModbusExceptionCode.Acknowledge)]
    [InlineData(6, ModbusExceptionCode.ServerDeviceBusy)]
    [InlineData(8, ModbusExceptionCode.MemoryParityError)]
    [InlineData(10, ModbusExceptionCode.GatewayPathUnavailable)]
    [InlineData(11, ModbusExceptionCode.GatewayTargetDeviceFailedToRespond)]
    public void Exception_responses_become_device_exceptions_with_the_named_code(byte code, ModbusExceptionCode expected)
    {
        var error = Assert.Throws<ModbusDeviceException>(() => Parse($"12340000000311" + $"83{code:X2}", ReadThree));
        Assert.Equal(expected, error.Code);
        Assert.Equal(ModbusFunction.ReadHoldingRegisters, error.Function);
    }

    [Fact]
    public void An_exception_response_for_another_function_is_a_protocol_violation()
    {
        Assert.Throws<ModbusProtocolException>(() => Parse("12340000000311" + "8402", ReadThree));
    }

    [Theory]
    [InlineData("0500", "FF00", 0x0000)]
    [InlineData("0600", "0000", 0x0001)]
    [InlineData("0F00", "0000", 0x000B)]
    [InlineData("1000", "0001", 0x0002)]
    public void Write_responses_must_echo_the_request(string functionAndAddressHigh, string echo, ushort requested)
    {
        var function = (ModbusFunction)Convert.FromHexString(functionAndAddressHigh)[0];
        var request = function is ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister
            ? new ModbusRequest(function, 0x0A, 1, requested)
            : new ModbusRequest(function, 0x0A, requested);
        Assert.Throws<ModbusProtocolException>(() => Parse("12340000000611" + functionAndAddressHigh + "0A" + echo, request));
    }

    /// <summary>
    /// Regression inputs: short and inconsistent frames at the edges of the header checks. No fuzz run has
    /// crashed the parser yet; any input that ever does is added here and stays.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("1234000000")]
    [InlineData("12340000000211")]
    [InlineData("1234000000021103")]
    [InlineData("12340000000311" + "0300")]
    [InlineData("12340000000411" + "0301FF")]
    [InlineData("12340000000311" + "0101")]
    public void Regression_inputs_only_raise_the_protocol_exception(string hex)
    {
        Assert.Throws<ModbusProtocolException>(() => Parse(hex, ReadThree));
        Assert.Throws<ModbusProtocolException>(() => Parse(hex, new ModbusRequest(ModbusFunction.ReadCoils, 0, 8)));
    }
}
