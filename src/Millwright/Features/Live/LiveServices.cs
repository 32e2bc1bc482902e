using Millwright.Api;
using Millwright.Features.Telemetry;
using Millwright.Security;

namespace Millwright.Features.Live;

/// <summary>What every live connection uses, resolved once.</summary>
internal sealed record LiveServices(
    LiveFeed Feed,
    LiveOptions Options,
    ApiKeyVerifier Verifier,
    AccessChanges Access,
    Sessions Sessions,
    LatestValues Latest,
    MachineConnectivity Links,
    Millwright.Features.States.StateTracker States,
    TimeProvider Clock,
    ILogger<LiveConnection> Logger);
