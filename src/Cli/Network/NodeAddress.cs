using System.Globalization;
using System.Net;

namespace HyperSwarm.Cli.Network;

/// <summary>
/// The addresses a node's flags take, parsed into what the node needs, each mistake one
/// <see cref="UserError"/> naming the flag: a peer to call (<c>host:port</c> or a URL), an
/// endpoint to bind (an IP address or <c>localhost</c>, and a port), and an address to
/// advertise (<c>host:port</c>).
/// </summary>
internal static class NodeAddress
{
    /// <summary><c>host:port</c>, <c>[v6]:port</c>, <c>http://host:port</c> or <c>https://host:port</c> as the URL a channel calls.</summary>
    public static Uri ParsePeer(string flag, string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            {
                throw new UserError($"{flag} takes host:port or an http:// or https:// address, got '{text}'.");
            }

            if (url.AbsolutePath != "/" || url.Query.Length > 0)
            {
                throw new UserError($"{flag} takes an address without a path, got '{text}'.");
            }

            return new Uri($"{url.Scheme}://{url.Authority}");
        }

        var (host, port) = SplitHostPort(flag, trimmed, text);
        return new Uri($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");
    }

    /// <summary>
    /// <c>PORT</c>, <c>HOST:PORT</c> or <c>[V6]:PORT</c> to bind, where HOST is an IP address,
    /// <c>localhost</c>, or <c>*</c> for every interface; port 0 picks a free one.
    /// </summary>
    public static IPEndPoint ParseListen(string flag, string text)
    {
        var trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var bare) && bare <= ushort.MaxValue)
        {
            return new IPEndPoint(IPAddress.Loopback, bare);
        }

        var (host, port) = SplitHostPort(flag, trimmed, text, allowPortZero: true);
        IPAddress address;
        if (host == "*") address = IPAddress.Any;
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(host, out address!)) throw new UserError($"{flag} takes an IP address, localhost or * as its host, got '{host}'.");
        return new IPEndPoint(address, port);
    }

    /// <summary><c>host:port</c> that other nodes can reach, kept as text (it travels in <c>Join</c>).</summary>
    public static string ParseAdvertised(string flag, string text)
    {
        var (host, port) = SplitHostPort(flag, text.Trim(), text);
        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    /// <summary>Whether <paramref name="endpoint"/> binds every interface, so its own address says nothing to other nodes.</summary>
    public static bool IsWildcard(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any);

    private static (string Host, int Port) SplitHostPort(string flag, string text, string original, bool allowPortZero = false)
    {
        // The port follows the last colon; an IPv6 host is bracketed so its own colons stay apart.
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon] : string.Empty;
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal)) host = string.Empty;
        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw new UserError($"{flag} takes host:port (an IPv6 host in brackets: [::1]:7000), got '{original}'.");
        }

        var portText = text[(colon + 1)..];
        var lowest = allowPortZero ? 0 : 1;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < lowest || port > ushort.MaxValue)
        {
            throw new UserError($"{flag} needs a port from {lowest} to 65535 after the host, got '{portText}' in '{original}'.");
        }

        return (host, port);
    }
}
