using System.Text.Json;
using Millwright.Features.Connectivity;

namespace Millwright.Features.Production;

/// <summary>
/// Production's side of the machine-command port: answers about jobs (docs/production.md, "Commands to machines")
/// go to the planner's inbox. An answer is production's when it is not a JSON object, or is one with a
/// <c>jobId</c>; a malformed one is refused, so the machine hears why (PUBACK 0x99 over MQTT).
/// </summary>
internal sealed class ProductionAcks(ProductionInbox inbox) : IMachineAckHandler
{
    public AckVerdict Handle(MachineAck ack)
    {
        if (!NamesAJob(ack.Payload.Span))
        {
            return AckVerdict.NotMine("jobId must be a positive whole number");
        }

        try
        {
            inbox.Post(new AckReceived(ack.TenantId, ack.MachineId, ack.MachineName, CommandJson.ParseAck(ack.Payload.Span)));
            return AckVerdict.Taken;
        }
        catch (CommandFormatException e)
        {
            return AckVerdict.Refuse(e.Message);
        }
    }

    /// <summary>
    /// Whether the answer is one production should judge: anything but a well-formed JSON object without a jobId
    /// (what another feature's answers would look like). Only the top level is looked at.
    /// </summary>
    private static bool NamesAJob(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > CommandJson.MaxAckBytes)
        {
            return true;
        }

        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("jobId"u8))
                {
                    return true;
                }

                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
