namespace Millwright.OpcUa;

/// <summary>A UInt32 status (OPC 10000-4 7.39): the top two bits say Good (00), Uncertain (01) or Bad (10).</summary>
internal readonly record struct StatusCode(uint Code)
{
    public static readonly StatusCode Good = new(0);
    public static readonly StatusCode BadUnexpectedError = new(0x80010000);
    public static readonly StatusCode BadCommunicationError = new(0x80050000);
    public static readonly StatusCode BadEncodingError = new(0x80060000);
    public static readonly StatusCode BadDecodingError = new(0x80070000);
    public static readonly StatusCode BadEncodingLimitsExceeded = new(0x80080000);
    public static readonly StatusCode BadTimeout = new(0x800A0000);
    public static readonly StatusCode BadServiceUnsupported = new(0x800B0000);
    public static readonly StatusCode BadTooManyOperations = new(0x80100000);
    public static readonly StatusCode BadSessionIdInvalid = new(0x80250000);
    public static readonly StatusCode BadSessionClosed = new(0x80260000);
    public static readonly StatusCode BadNodeIdUnknown = new(0x80340000);
    public static readonly StatusCode BadAttributeIdInvalid = new(0x80350000);
    public static readonly StatusCode BadSubscriptionIdInvalid = new(0x80280000);
    public static readonly StatusCode BadNotWritable = new(0x803B0000);
    public static readonly StatusCode BadTypeMismatch = new(0x80740000);
    public static readonly StatusCode BadMethodInvalid = new(0x80750000);
    public static readonly StatusCode BadArgumentsMissing = new(0x80760000);
    public static readonly StatusCode BadInvalidArgument = new(0x80AB0000);
    public static readonly StatusCode BadTcpMessageTypeInvalid = new(0x807E0000);
    public static readonly StatusCode BadTcpSecureChannelUnknown = new(0x807F0000);
    public static readonly StatusCode BadTcpMessageTooLarge = new(0x80800000);
    public static readonly StatusCode BadSecureChannelIdInvalid = new(0x80220000);
    public static readonly StatusCode BadSequenceNumberInvalid = new(0x80870000);
    public static readonly StatusCode BadSecurityPolicyRejected = new(0x80550000);
    public static readonly StatusCode BadCertificateInvalid = new(0x80120000);
    public static readonly StatusCode BadSecurityChecksFailed = new(0x80130000);
    public static readonly StatusCode BadCertificateTimeInvalid = new(0x80140000);
    public static readonly StatusCode BadCertificateUntrusted = new(0x801A0000);
    public static readonly StatusCode BadCertificateRevocationUnknown = new(0x801B0000);
    public static readonly StatusCode BadCertificateRevoked = new(0x801D0000);
    public static readonly StatusCode BadCertificateIssuerRevoked = new(0x801E0000);
    public static readonly StatusCode BadCertificateIssuerTimeInvalid = new(0x80150000);
    public static readonly StatusCode BadNonceInvalid = new(0x80240000);
    public static readonly StatusCode BadSecurityModeRejected = new(0x80540000);
    public static readonly StatusCode BadApplicationSignatureInvalid = new(0x80580000);
    public static readonly StatusCode BadIdentityTokenInvalid = new(0x80200000);
    public static readonly StatusCode BadUserAccessDenied = new(0x801F0000);
    public static readonly StatusCode BadNoSubscription = new(0x80790000);
    public static readonly StatusCode BadMessageNotAvailable = new(0x807B0000);
    public static readonly StatusCode BadConnectionClosed = new(0x80AE0000);

    public bool IsGood => (Code & 0xC0000000) == 0;

    public bool IsUncertain => (Code & 0xC0000000) == 0x40000000;

    public bool IsBad => (Code & 0x80000000) != 0;

    public override string ToString() => StatusNames.Name(this);
}
