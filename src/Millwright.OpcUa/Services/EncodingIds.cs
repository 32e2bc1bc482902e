namespace Millwright.OpcUa.Services;

/// <summary>
/// Numeric ids (namespace 0) of the DefaultBinary encodings of the messages this client sends and reads (OPC 10000-6
/// Annex A, NodeIds.csv: "…_Encoding_DefaultBinary"). Each service body starts with one of these as a NodeId.
/// </summary>
internal static class EncodingIds
{
    public const uint ServiceFault = 397;
    public const uint OpenSecureChannelRequest = 446;
    public const uint OpenSecureChannelResponse = 449;
    public const uint CloseSecureChannelRequest = 452;
    public const uint GetEndpointsRequest = 428;
    public const uint GetEndpointsResponse = 431;
    public const uint CreateSessionRequest = 461;
    public const uint CreateSessionResponse = 464;
    public const uint ActivateSessionRequest = 467;
    public const uint ActivateSessionResponse = 470;
    public const uint CloseSessionRequest = 473;
    public const uint CloseSessionResponse = 476;
    public const uint AnonymousIdentityToken = 321;
    public const uint UserNameIdentityToken = 324;
    public const uint BrowseRequest = 527;
    public const uint BrowseResponse = 530;
    public const uint BrowseNextRequest = 533;
    public const uint BrowseNextResponse = 536;
    public const uint TranslateBrowsePathsToNodeIdsRequest = 554;
    public const uint TranslateBrowsePathsToNodeIdsResponse = 557;
    public const uint ReadRequest = 631;
    public const uint ReadResponse = 634;
    public const uint WriteRequest = 673;
    public const uint WriteResponse = 676;
    public const uint CallRequest = 712;
    public const uint CallResponse = 715;
    public const uint DataChangeFilter = 724;
    public const uint CreateMonitoredItemsRequest = 751;
    public const uint CreateMonitoredItemsResponse = 754;
    public const uint CreateSubscriptionRequest = 787;
    public const uint CreateSubscriptionResponse = 790;
    public const uint DataChangeNotification = 811;
    public const uint StatusChangeNotification = 820;
    public const uint PublishRequest = 826;
    public const uint PublishResponse = 829;
    public const uint RepublishRequest = 832;
    public const uint RepublishResponse = 835;
    public const uint DeleteSubscriptionsRequest = 847;
    public const uint DeleteSubscriptionsResponse = 850;
}
