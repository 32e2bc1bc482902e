using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>OPC 10000-4 7.33: Timestamp, RequestHandle, ServiceResult, ServiceDiagnostics, StringTable, AdditionalHeader.</summary>
internal sealed record ResponseHeader(DateTime Timestamp, uint RequestHandle, StatusCode ServiceResult, IReadOnlyList<string?> StringTable)
{
    public static ResponseHeader Read(UaReader r)
    {
        var timestamp = r.ReadDateTime();
        var handle = r.ReadUInt32();
        var result = r.ReadStatusCode();
        r.ReadDiagnosticInfo();
        var strings = r.ReadList(x => x.ReadString());
        r.ReadExtensionObject();
        return new ResponseHeader(timestamp, handle, result, strings);
    }
}
