using System.CommandLine;
using System.Net;
using HyperSwarm.Cli.Network;
using HyperSwarm.Cli.Worker;

namespace HyperSwarm.Cli.Dashboard;

/// <summary>
/// <c>--dashboard off|PORT|HOST:PORT</c> of <c>train</c>, <c>run</c> and <c>coordinator</c>
/// (docs/cli.md "Live dashboard"). Unset: loopback, <see cref="DefaultPort"/> when it is free,
/// else a free port. HOST is an IP address, <c>localhost</c> or <c>*</c> (every interface),
/// as every listen flag takes it.
/// </summary>
internal static class DashboardFlag
{
    /// <summary>The port tried first when nothing is named: next to the coordinator's 7070.</summary>
    public const int DefaultPort = 7080;

    public const string Name = "--dashboard";

    public static Option<string?> Create() => new(Name)
    {
        Description = $"Live dashboard: off, PORT or HOST:PORT (default 127.0.0.1:{DefaultPort}, or a free port when that is taken); off loopback it needs the cluster token.",
    };

    /// <summary>Where to serve; null for <c>off</c>. A mistake is one <see cref="UserError"/> naming the flag.</summary>
    public static DashboardChoice? Parse(string? text)
    {
        if (text is null) return new DashboardChoice(new IPEndPoint(IPAddress.Loopback, DefaultPort), Named: false);
        if (text.Trim().Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        if (text.Trim().Length == 0) throw new UserError($"{Name} needs off, PORT or HOST:PORT, got nothing.");
        return new DashboardChoice(NodeAddress.ParseListen(Name, text), Named: true);
    }
}
