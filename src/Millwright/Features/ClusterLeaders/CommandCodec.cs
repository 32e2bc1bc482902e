using System.Text.Json;
using Millwright.Features.Connectivity;
using static Millwright.Features.ClusterLeaders.JsonFields;

namespace Millwright.Features.ClusterLeaders;

/// <summary>
/// A command carried to the machine's owner, and the owner's receipt: JSON, the payload in base64. Anything else,
/// or a field of the wrong type, is a <see cref="FormatException"/>.
/// </summary>
internal static class CommandCodec
{
    public const int MaxBytes = 4 << 20;

    public static byte[] Encode(MachineCommand command) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["tenant"] = command.TenantId, ["slug"] = command.TenantSlug, ["machine"] = command.MachineId, ["name"] = command.MachineName,
        ["payload"] = Convert.ToBase64String(command.Payload.Span),
    });

    public static MachineCommand DecodeCommand(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(Text(root, "payload"));
        }
        catch (FormatException e)
        {
            throw new FormatException($"'payload' is not base64: {e.Message}", e);
        }

        return new MachineCommand(Whole(root, "tenant"), Text(root, "slug"), Whole(root, "machine"), Text(root, "name"), payload);
    }

    public static byte[] Encode(CommandReceipt receipt) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
    {
        ["transport"] = receipt.Transport, ["address"] = receipt.Address, ["refusal"] = receipt.Refusal,
    });

    public static CommandReceipt DecodeReceipt(ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        var root = document.RootElement;
        var receipt = new CommandReceipt(Text(root, "transport"), OptionalText(root, "address"), OptionalText(root, "refusal"));
        return receipt.Refusal is null && receipt.Address is null ? throw new FormatException("a receipt names an address or a refusal") : receipt;
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBytes)
        {
            throw new FormatException($"a body of {body.Length} bytes is over the limit of {MaxBytes}");
        }

        try
        {
            var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new FormatException("the body is not a JSON object");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new FormatException($"the body is not JSON: {e.Message}", e);
        }
    }
}
