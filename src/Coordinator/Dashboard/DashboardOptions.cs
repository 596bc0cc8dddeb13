using System.Net;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>Where a <see cref="DashboardServer"/> listens, who may read it, and what it shows before its source exists.</summary>
public sealed record DashboardOptions
{
    /// <summary>The query parameter that may carry the token (<c>?token=…</c>): a browser's EventSource cannot send headers.</summary>
    public const string TokenQueryParameter = "token";

    /// <summary>Where the page is served (HTTP/1.1). Loopback and a free port unless told otherwise (DESIGN.md §5).</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The cluster token: required off loopback, where every request must present it.</summary>
    public ClusterToken? Token { get; init; }

    /// <summary><see cref="DashboardSnapshot.PopulationKind"/> or <see cref="DashboardSnapshot.TrainKind"/>.</summary>
    public string Kind { get; init; } = DashboardSnapshot.PopulationKind;

    /// <summary>The run's name, shown while there is no source yet.</summary>
    public string Run { get; init; } = "";

    /// <summary>How often members are sampled and sent to every page.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock of the samples.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where Kestrel logs; nothing by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Whether requests must carry the token: the endpoint is not a loopback address.</summary>
    public bool RequiresToken => !IPAddress.IsLoopback(Endpoint.Address);

    /// <summary>Throws one sentence naming the first impossible setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        if (RequiresToken && Token is null)
            throw new ArgumentException($"a dashboard on {Endpoint} (off loopback) needs the cluster token, so that only its holders can read it.");
        if (SampleInterval <= TimeSpan.Zero) throw new ArgumentException($"the sample interval must be positive, got {SampleInterval}.");
    }
}
