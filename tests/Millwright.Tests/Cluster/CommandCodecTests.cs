using System.Text;
using Millwright.Features.ClusterLeaders;
using Millwright.Features.Connectivity;

namespace Millwright.Tests.Cluster;

/// <summary>The format of a command carried to a machine's owner and of its receipt: what goes in comes out, anything else is refused.</summary>
public sealed class CommandCodecTests
{
    [Fact]
    public void A_command_and_both_kinds_of_receipt_come_back_as_they_were_sent()
    {
        var command = new MachineCommand(7, "acme-ü", 42, "mill-1", "{\"type\":\"job\",\"jobId\":1}\0\xff"u8.ToArray());

        var back = CommandCodec.DecodeCommand(CommandCodec.Encode(command));

        Assert.Equal((command.TenantId, command.TenantSlug, command.MachineId, command.MachineName), (back.TenantId, back.TenantSlug, back.MachineId, back.MachineName));
        Assert.Equal(command.Payload.ToArray(), back.Payload.ToArray());
        foreach (var receipt in new[] { CommandReceipt.SentTo("modbus", "10.0.0.5:502"), CommandReceipt.Refused("opcua", "no method") })
        {
            Assert.Equal(receipt, CommandCodec.DecodeReceipt(CommandCodec.Encode(receipt)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"tenant\":1,\"slug\":\"a\",\"machine\":2,\"name\":\"m\"}")]
    [InlineData("{\"tenant\":1,\"slug\":\"a\",\"machine\":2,\"name\":\"m\",\"payload\":\"not base64!\"}")]
    [InlineData("{\"tenant\":\"1\",\"slug\":\"a\",\"machine\":2,\"name\":\"m\",\"payload\":\"\"}")]
    [InlineData("{\"tenant\":1,\"slug\":\"a\",\"machine\":2.5,\"name\":\"m\",\"payload\":\"\"}")]
    public void A_body_that_is_not_a_command_is_refused_with_a_format_error(string body) =>
        Assert.Throws<FormatException>(() => CommandCodec.DecodeCommand(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("{\"transport\":\"modbus\",\"address\":null,\"refusal\":null}")]
    [InlineData("{\"transport\":1,\"address\":\"x\",\"refusal\":null}")]
    [InlineData("{\"address\":\"x\",\"refusal\":null}")]
    public void A_body_that_is_not_a_receipt_is_refused_with_a_format_error(string body) =>
        Assert.Throws<FormatException>(() => CommandCodec.DecodeReceipt(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Mutated_commands_and_receipts_decode_or_are_refused_with_a_format_error_and_nothing_else()
    {
        var random = new Random(2212);
        byte[][] valid = [CommandCodec.Encode(new MachineCommand(7, "acme", 42, "mill-1", "{\"type\":\"stop\"}"u8.ToArray())), CommandCodec.Encode(CommandReceipt.Refused("mqtt", "gone"))];
        for (var i = 0; i < 20_000; i++)
        {
            var body = valid[i % 2].ToArray();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            var cut = body.AsSpan(0, random.Next(body.Length + 1)).ToArray();
            try
            {
                _ = i % 2 == 0 ? (object)CommandCodec.DecodeCommand(cut) : CommandCodec.DecodeReceipt(cut);
            }
            catch (FormatException)
            {
            }
        }
    }
}
