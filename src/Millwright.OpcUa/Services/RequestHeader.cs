using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>OPC 10000-4 7.32: AuthenticationToken, Timestamp, RequestHandle, ReturnDiagnostics, AuditEntryId, TimeoutHint, AdditionalHeader.</summary>
internal static class RequestHeader
{
    public static void Write(UaWriter w, NodeId authenticationToken, DateTime now, uint handle, TimeSpan timeoutHint)
    {
        w.WriteNodeId(authenticationToken);
        w.WriteDateTime(now);
        w.WriteUInt32(handle);
        w.WriteUInt32(0); // no diagnostics asked for
        w.WriteString(null);
        w.WriteUInt32((uint)Math.Clamp(timeoutHint.TotalMilliseconds, 0, uint.MaxValue));
        w.WriteExtensionObject(ExtensionObject.Null);
    }

    /// <summary>
    /// Reads the encoding id and response header of a response body; a ServiceFault or a Bad ServiceResult becomes
    /// the protocol exception with the server's status, anything but <paramref name="expected"/> a decoding error.
    /// </summary>
    public static (UaReader Reader, ResponseHeader Header) ReadResponse(byte[] body, uint expected, string service, DecodingLimits? limits = null)
    {
        var r = new UaReader(body, limits);
        var type = r.ReadNodeId();
        if (type.NamespaceIndex != 0 || type.Type != NodeIdType.Numeric || (type.Numeric != expected && type.Numeric != EncodingIds.ServiceFault))
        {
            throw new OpcUaProtocolException($"{service}: the server answered with a {type} message, not the response.");
        }

        var header = ResponseHeader.Read(r);
        if (type.Numeric == EncodingIds.ServiceFault || header.ServiceResult.IsBad)
        {
            throw new OpcUaProtocolException(header.ServiceResult.IsBad ? header.ServiceResult : StatusCode.BadUnexpectedError, $"{service} failed");
        }

        return (r, header);
    }
}
