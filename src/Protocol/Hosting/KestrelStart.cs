using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>
/// Starts a Kestrel application with a taken address reported one way. Kestrel wraps a port
/// found taken at bind() in an <see cref="IOException"/>, but one taken between its bind() and
/// listen() (two processes starting at the same moment) surfaces as the raw
/// <see cref="SocketException"/>: the same condition, so callers get the same type and the
/// fallbacks and one-sentence errors that catch it.
/// </summary>
public static class KestrelStart
{
    /// <summary>Starts <paramref name="app"/>; <paramref name="address"/> names what it binds in the error.</summary>
    /// <exception cref="IOException">The address is taken or cannot be bound.</exception>
    public static async Task StartAsync(WebApplication app, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"{address} cannot be bound: {e.Message}", e);
        }
    }
}
