using Millwright.OpcUa.Encoding;
using Millwright.OpcUa.Services;
using Millwright.OpcUa.Transport;

namespace Millwright.OpcUa;

/// <summary>
/// An OPC UA client session over one secure channel (OPC 10000-4 5.6): CreateSession, ActivateSession (anonymous or
/// user name), the view, attribute and method services, and CloseSession on dispose. Thread-safe: requests may
/// overlap; each waits for its own response.
/// </summary>
internal sealed partial class OpcUaClient : IAsyncDisposable
{
    private readonly SecureChannel _channel;
    private readonly OpcUaClientOptions _options;
    private NodeId _authenticationToken = NodeId.Null;
    private System.Security.Cryptography.X509Certificates.X509Certificate2? _clientCertificate;
    private int _handle;

    private OpcUaClient(SecureChannel channel, OpcUaClientOptions options)
    {
        _channel = channel;
        _options = options;
    }

    public NodeId SessionId { get; private set; } = NodeId.Null;

    /// <summary>The endpoints the server described in CreateSession (its user token policies among them).</summary>
    public IReadOnlyList<EndpointDescription> Endpoints { get; private set; } = [];

    /// <summary>Completes when the channel stops: null after a close, else what broke it.</summary>
    public Task<Exception?> Closed => _channel.Closed;

    public static async Task<OpcUaClient> ConnectAsync(OpcUaClientOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        var (security, clientCertificate, recheck) = await SecureAsync(options, timeout.Token);
        SecureChannel channel;
        try
        {
            channel = await SecureChannel.OpenAsync(options.Endpoint, options.Limits, options.Time, options.Connector, timeout.Token, security);
        }
        catch
        {
            security?.Dispose();
            clientCertificate?.Dispose();
            throw;
        }

        var client = new OpcUaClient(channel, options) { _clientCertificate = clientCertificate };
        try
        {
            if (recheck is not null)
            {
                // Nothing but the OPN has been sent: no session is made with a server whose chain does not lead to a trusted CA.
                CheckSentChain(recheck, security!.ServerChain ?? []);
            }

            await client.CreateAndActivateAsync(timeout.Token);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!SessionId.IsNull && !_channel.Closed.IsCompleted)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await RequestAsync(EncodingIds.CloseSessionRequest, w => w.WriteBoolean(true), EncodingIds.CloseSessionResponse, "CloseSession", _ => true, timeout.Token);
            }
            catch (Exception e) when (e is OpcUaProtocolException or OperationCanceledException)
            {
                // The channel closes below anyway; the server times the session out.
            }
        }

        await _channel.DisposeAsync();
        _clientCertificate?.Dispose();
    }

    private async Task CreateAndActivateAsync(CancellationToken ct)
    {
        var endpointUrl = _options.Endpoint.OriginalString;
        var clientNonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var clientDer = _clientCertificate?.RawData;
        var created = await RequestAsync(EncodingIds.CreateSessionRequest,
            w => SessionMessages.WriteCreateSession(w, endpointUrl, _options.SessionName, _options.SessionTimeout, _options.Limits.MaxMessageSize, clientNonce, clientDer),
            EncodingIds.CreateSessionResponse, "CreateSession", SessionMessages.ReadCreateSession, ct);
        var (sessionId, token, certificate, nonce, endpoints) = (created.SessionId, created.AuthenticationToken, created.ServerCertificate, created.ServerNonce, created.Endpoints);
        SessionId = sessionId;
        _authenticationToken = token;
        Endpoints = endpoints;
        var clientSignature = _channel.Security is { } security ? SignSession(security, created, clientDer!, clientNonce) : null;

        // The token policy comes from an endpoint with the channel's policy and mode; a server may list it only there.
        var (policyUri, mode) = _channel.Security is { } secured ? (Crypto.Basic256Sha256.Uri, secured.SecurityModeValue) : (SecureChunk.NonePolicy, 1);
        var endpoint = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == policyUri && e.SecurityMode == mode)
            ?? endpoints.FirstOrDefault(e => e.SecurityPolicyUri == policyUri) ?? (endpoints.Count > 0 ? endpoints[0] : null)
            ?? new EndpointDescription(endpointUrl, mode, policyUri, [], null);
        // A None endpoint may describe no certificate; the one CreateSession returned encrypts a password then.
        if (endpoint.ServerCertificate is not { Length: > 0 } && certificate is { Length: > 0 })
        {
            endpoint = endpoint with { ServerCertificate = certificate };
        }

        var wanted = _options.User is null ? 0 : 1;
        var policy = endpoint.UserIdentityTokens.FirstOrDefault(p => p.TokenType == wanted)
            ?? endpoints.SelectMany(e => e.UserIdentityTokens).FirstOrDefault(p => p.TokenType == wanted);
        if (policy is null && endpoint.UserIdentityTokens.Count > 0)
        {
            throw new OpcUaProtocolException(StatusCode.BadIdentityTokenInvalid,
                _options.User is null ? "the server takes no anonymous sessions" : "the server takes no user name tokens");
        }

        var identity = _options.User is null
            ? IdentityTokens.Anonymous(policy?.PolicyId ?? "anonymous")
            : IdentityTokens.UserName(policy ?? new UserTokenPolicy("username", 1, null), endpoint, _options.User, _options.Password ?? "", nonce);
        await RequestAsync(EncodingIds.ActivateSessionRequest, w => SessionMessages.WriteActivateSession(w, identity, clientSignature),
            EncodingIds.ActivateSessionResponse, "ActivateSession", SessionMessages.ReadActivateSession, ct);
    }

    /// <summary>One service call: encoding id, request header and body out; the response's header checked and its body read.</summary>
    private async Task<T> RequestAsync<T>(uint requestId, Action<UaWriter> body, uint responseId, string service, Func<UaReader, T> read, CancellationToken ct)
    {
        var w = new UaWriter();
        w.WriteNodeId(new NodeId(0, requestId));
        RequestHeader.Write(w, _authenticationToken, _options.Time.GetUtcNow().UtcDateTime, (uint)Interlocked.Increment(ref _handle), _options.RequestTimeout);
        body(w);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        byte[] response;
        try
        {
            response = await _channel.RequestAsync(w.ToArray(), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OpcUaProtocolException(StatusCode.BadTimeout, $"{service}: no response within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }

        var (reader, _) = RequestHeader.ReadResponse(response, responseId, service, _options.Decoding);
        return read(reader);
    }
}
