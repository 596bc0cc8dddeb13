using System.Net;

namespace HyperSwarm.Cli.Dashboard;

/// <summary>Where the dashboard binds; <paramref name="Named"/> when the user chose it (then it must bind).</summary>
internal sealed record DashboardChoice(IPEndPoint Endpoint, bool Named);
