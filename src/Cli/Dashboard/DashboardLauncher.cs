using System.Net;
using HyperSwarm.Coordinator.Dashboard;
using HyperSwarm.Protocol.Hosting;
using Spectre.Console;

namespace HyperSwarm.Cli.Dashboard;

/// <summary>
/// Starts a command's dashboard and prints its URL: the default port falls back to a free one
/// (one line says so), a port the user named must bind, and off loopback the cluster token is
/// required before anything binds.
/// </summary>
internal static class DashboardLauncher
{
    /// <summary>
    /// The server, or null for <c>--dashboard off</c>. <paramref name="token"/> is read only off
    /// loopback; the URL goes to <paramref name="output"/>, where the command's display goes.
    /// </summary>
    public static async Task<DashboardServer?> StartAsync(DashboardChoice? choice, string kind, string run, Func<ClusterToken?> token, IAnsiConsole console, TextWriter output, CancellationToken cancellationToken)
    {
        if (choice is null) return null;
        var endpoint = choice.Endpoint;
        var options = new DashboardOptions { Endpoint = endpoint, Kind = kind, Run = run };
        if (options.RequiresToken)
        {
            options = options with
            {
                Token = ReadToken(token) ?? throw new UserError($"{DashboardFlag.Name} {endpoint} serves off loopback, where the dashboard needs the cluster token: set {ClusterToken.EnvironmentVariable}{(kind == DashboardSnapshot.PopulationKind ? " or give --token-file" : "")}, or serve on loopback."),
            };
        }

        DashboardServer server;
        try
        {
            server = await DashboardServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (!choice.Named)
        {
            // The default port is a convenience: a second run on this machine takes a free one.
            server = await DashboardServer.StartAsync(options with { Endpoint = new IPEndPoint(endpoint.Address, 0) }, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"[yellow]dashboard: port {endpoint.Port} is in use, so this one takes a free port[/]");
        }
        catch (IOException e)
        {
            throw new IOException($"{DashboardFlag.Name} {endpoint} cannot be bound ({e.Message.TrimEnd('.')}); name another port or give {DashboardFlag.Name} off.", e);
        }

        // Plain text, not Spectre: a redirected URL must not be wrapped at 80 columns.
        var note = options.RequiresToken ? $" (open it with ?{DashboardOptions.TokenQueryParameter}=<cluster token>)" : "";
        await output.WriteLineAsync($"dashboard: {server.Address}{note}").ConfigureAwait(false);
        return server;
    }

    private static ClusterToken? ReadToken(Func<ClusterToken?> token)
    {
        try
        {
            return token();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
    }
}
