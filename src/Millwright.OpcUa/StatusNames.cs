namespace Millwright.OpcUa;

/// <summary>Symbolic names of the status codes people meet most (OPC 10000-4 7.39, OPC 10000-6 Annex A); others print as hex.</summary>
internal static class StatusNames
{
    private static readonly Dictionary<uint, string> Names = new()
    {
        [0x00000000] = "Good",
        [0x80010000] = "BadUnexpectedError",
        [0x80020000] = "BadInternalError",
        [0x80030000] = "BadOutOfMemory",
        [0x80040000] = "BadResourceUnavailable",
        [0x80050000] = "BadCommunicationError",
        [0x80060000] = "BadEncodingError",
        [0x80070000] = "BadDecodingError",
        [0x80080000] = "BadEncodingLimitsExceeded",
        [0x80090000] = "BadRequestTooLarge",
        [0x800A0000] = "BadTimeout",
        [0x800B0000] = "BadServiceUnsupported",
        [0x800C0000] = "BadShutdown",
        [0x800D0000] = "BadServerNotConnected",
        [0x800E0000] = "BadServerHalted",
        [0x800F0000] = "BadNothingToDo",
        [0x80100000] = "BadTooManyOperations",
        [0x80120000] = "BadCertificateInvalid",
        [0x80130000] = "BadSecurityChecksFailed",
        [0x80140000] = "BadCertificateTimeInvalid",
        [0x80150000] = "BadCertificateIssuerTimeInvalid",
        [0x801A0000] = "BadCertificateUntrusted",
        [0x801B0000] = "BadCertificateRevocationUnknown",
        [0x801C0000] = "BadCertificateIssuerRevocationUnknown",
        [0x801D0000] = "BadCertificateRevoked",
        [0x801E0000] = "BadCertificateIssuerRevoked",
        [0x801F0000] = "BadUserAccessDenied",
        [0x80200000] = "BadIdentityTokenInvalid",
        [0x80210000] = "BadIdentityTokenRejected",
        [0x80220000] = "BadSecureChannelIdInvalid",
        [0x80240000] = "BadNonceInvalid",
        [0x80250000] = "BadSessionIdInvalid",
        [0x80260000] = "BadSessionClosed",
        [0x80270000] = "BadSessionNotActivated",
        [0x80280000] = "BadSubscriptionIdInvalid",
        [0x80330000] = "BadNodeIdInvalid",
        [0x80340000] = "BadNodeIdUnknown",
        [0x80350000] = "BadAttributeIdInvalid",
        [0x80360000] = "BadIndexRangeInvalid",
        [0x803A0000] = "BadNotReadable",
        [0x803B0000] = "BadNotWritable",
        [0x803C0000] = "BadOutOfRange",
        [0x803D0000] = "BadNotSupported",
        [0x803E0000] = "BadNotFound",
        [0x80540000] = "BadSecurityModeRejected",
        [0x80550000] = "BadSecurityPolicyRejected",
        [0x80580000] = "BadApplicationSignatureInvalid",
        [0x80600000] = "BadBrowseNameInvalid",
        [0x806F0000] = "BadNoMatch",
        [0x80740000] = "BadTypeMismatch",
        [0x80750000] = "BadMethodInvalid",
        [0x80760000] = "BadArgumentsMissing",
        [0x80790000] = "BadNoSubscription",
        [0x807A0000] = "BadSequenceNumberUnknown",
        [0x807B0000] = "BadMessageNotAvailable",
        [0x807E0000] = "BadTcpMessageTypeInvalid",
        [0x807F0000] = "BadTcpSecureChannelUnknown",
        [0x80800000] = "BadTcpMessageTooLarge",
        [0x80810000] = "BadTcpNotEnoughResources",
        [0x80820000] = "BadTcpInternalError",
        [0x80830000] = "BadTcpEndpointUrlInvalid",
        [0x80870000] = "BadSequenceNumberInvalid",
        [0x80AB0000] = "BadInvalidArgument",
        [0x80AC0000] = "BadConnectionRejected",
        [0x80AD0000] = "BadDisconnect",
        [0x80AE0000] = "BadConnectionClosed",
        [0x80B00000] = "BadEndOfStream",
        [0x80B80000] = "BadRequestTimeout",
        [0x80E40000] = "BadRequestNotAllowed",
        [0x40000000] = "Uncertain",
        [0x408F0000] = "UncertainInitialValue",
        [0x00A20000] = "GoodClamped",
    };

    public static string Name(StatusCode status)
    {
        if (Names.TryGetValue(status.Code, out var name))
        {
            return name;
        }

        // The low 16 bits are flags (info bits, overflow); the name belongs to the upper half.
        return Names.TryGetValue(status.Code & 0xFFFF0000, out var upper)
            ? $"{upper} (0x{status.Code:X8})"
            : $"0x{status.Code:X8}";
    }
}
