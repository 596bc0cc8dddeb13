using System.Net;
using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Cli.Commands;

/// <summary>Addresses and tokens as the cluster commands take them on the command line.</summary>
internal static class ClusterAddress
{
    /// <summary><c>HOST:PORT</c> to listen on; HOST is an IP address or <c>localhost</c> (loopback).</summary>
    public static IPEndPoint ParseListen(string text)
    {
        var (host, port) = Split(text, "--listen");
        if (host is "localhost" or "") return new IPEndPoint(IPAddress.Loopback, port);
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
            throw new UserError($"--listen: '{host}' is not an IP address; use e.g. 127.0.0.1:7070 or 0.0.0.0:7070.");
        return new IPEndPoint(address, port);
    }

    /// <summary>A coordinator to dial: <c>HOST:PORT</c> or an <c>http(s)://</c> URL.</summary>
    public static Uri ParseDial(string text)
    {
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : throw new UserError($"'{text}' is not a valid URL.");
        }
        var (host, port) = Split(text, "the coordinator address");
        return new Uri($"http://{(host.Length == 0 ? "127.0.0.1" : host)}:{port}");
    }

    /// <summary>The cluster token from <paramref name="file"/>, else from HYPERSWARM_CLUSTER_TOKEN; null for none.</summary>
    public static ClusterToken? Token(string? file)
    {
        try
        {
            if (file is null) return ClusterToken.Resolve(null);
            return new ClusterToken(File.ReadAllText(file).Trim());
        }
        catch (ArgumentException e)
        {
            throw new UserError($"The cluster token is unusable: {e.Message}");
        }
    }

    private static (string Host, int Port) Split(string text, string what)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 0 or > 65535)
            throw new UserError($"{what}: '{text}' is not HOST:PORT (e.g. 127.0.0.1:7070).");
        var host = text[..colon];
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[')) throw new UserError($"{what}: write an IPv6 host in brackets, e.g. [::1]:7070.");
        return (host, port);
    }
}
