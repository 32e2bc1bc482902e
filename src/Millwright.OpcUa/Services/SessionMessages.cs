using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>Bodies of CreateSession, ActivateSession and CloseSession (OPC 10000-4 5.6) after the request header.</summary>
internal static class SessionMessages
{
    public const string ApplicationUri = "urn:millwright:opcua-client";

    /// <summary>ClientDescription, ServerUri, EndpointUrl, SessionName, ClientNonce, ClientCertificate, RequestedSessionTimeout, MaxResponseMessageSize.</summary>
    public static void WriteCreateSession(UaWriter w, string endpointUrl, string sessionName, TimeSpan timeout, uint maxResponseSize, byte[] clientNonce, byte[]? clientCertificate)
    {
        w.WriteString(ApplicationUri);
        w.WriteString("urn:millwright");
        w.WriteLocalizedText(new LocalizedText(null, "Millwright"));
        w.WriteEnum(1); // ApplicationType Client
        w.WriteString(null);
        w.WriteString(null);
        w.WriteArray<string>(null, (x, s) => x.WriteString(s));
        w.WriteString(null);
        w.WriteString(endpointUrl);
        w.WriteString(sessionName);
        w.WriteByteString(clientNonce);
        w.WriteByteString(clientCertificate);
        w.WriteDouble(timeout.TotalMilliseconds);
        w.WriteUInt32(maxResponseSize);
    }

    public static CreatedSession ReadCreateSession(UaReader r)
    {
        var sessionId = r.ReadNodeId();
        var token = r.ReadNodeId();
        r.ReadDouble(); // revised session timeout
        var nonce = r.ReadByteString();
        var certificate = r.ReadByteString();
        var endpoints = r.ReadList(ReadEndpoint);
        r.ReadList(x => (x.ReadByteString(), x.ReadByteString())); // software certificates
        r.ReadString(); // server signature: algorithm (the policy's)
        var signature = r.ReadByteString(); // empty under policy None
        r.ReadUInt32();
        return new CreatedSession(sessionId, token, certificate, nonce, endpoints, signature);
    }

    /// <summary>GetEndpoints (10000-4 5.4.4): EndpointUrl, LocaleIds, ProfileUris; answered by a list of endpoint descriptions.</summary>
    public static void WriteGetEndpoints(UaWriter w, string endpointUrl)
    {
        w.WriteString(endpointUrl);
        w.WriteArray<string>([], (x, s) => x.WriteString(s));
        w.WriteArray<string>([], (x, s) => x.WriteString(s));
    }

    /// <summary>ClientSignature, ClientSoftwareCertificates, LocaleIds, UserIdentityToken, UserTokenSignature.</summary>
    public static void WriteActivateSession(UaWriter w, ExtensionObject identityToken, byte[]? clientSignature)
    {
        w.WriteString(clientSignature is null ? null : Crypto.Basic256Sha256.AsymmetricSignatureUri);
        w.WriteByteString(clientSignature);
        w.WriteArray<byte[]>([], (_, _) => { });
        w.WriteArray(["en"], (x, s) => x.WriteString(s));
        w.WriteExtensionObject(identityToken);
        w.WriteString(null);
        w.WriteByteString(null);
    }

    /// <summary>ServerNonce, Results, DiagnosticInfos.</summary>
    public static byte[]? ReadActivateSession(UaReader r)
    {
        var nonce = r.ReadByteString();
        r.ReadList(x => x.ReadStatusCode());
        r.ReadList(x => x.ReadDiagnosticInfo());
        return nonce;
    }

    public static EndpointDescription ReadEndpoint(UaReader r)
    {
        var url = r.ReadString();
        // Server: ApplicationDescription (10000-4 7.2)
        r.ReadString();
        r.ReadString();
        r.ReadLocalizedText();
        r.ReadEnum();
        r.ReadString();
        r.ReadString();
        r.ReadList(x => x.ReadString());
        var certificate = r.ReadByteString();
        var mode = r.ReadEnum();
        var policy = r.ReadString();
        var tokens = r.ReadList(x =>
        {
            var id = x.ReadString();
            var type = x.ReadEnum();
            x.ReadString();
            x.ReadString();
            return new UserTokenPolicy(id, type, x.ReadString());
        });
        r.ReadString();
        r.ReadByte();
        return new EndpointDescription(url, mode, policy, tokens, certificate);
    }
}
