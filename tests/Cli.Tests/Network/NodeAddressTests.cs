using System.Net;
using HyperSwarm.Cli.Network;

namespace HyperSwarm.Cli.Tests.Network;

public sealed class NodeAddressTests
{
    [Theory]
    [InlineData("10.0.0.1:7000", "http://10.0.0.1:7000/")]
    [InlineData("coordinator.cluster.local:7000", "http://coordinator.cluster.local:7000/")]
    [InlineData("http://node-1:7000", "http://node-1:7000/")]
    [InlineData("https://node-1:7443/", "https://node-1:7443/")]
    [InlineData("[::1]:7000", "http://[::1]:7000/")]
    public void A_peer_is_host_port_or_a_url(string text, string url) =>
        Assert.Equal(new Uri(url), NodeAddress.ParsePeer("--join", text));

    [Theory]
    [InlineData("node-1", "--join takes host:port")]
    [InlineData("node-1:", "--join needs a port from 1 to 65535")]
    [InlineData("node-1:0", "--join needs a port from 1 to 65535")]
    [InlineData("node-1:70000", "--join needs a port from 1 to 65535")]
    [InlineData("::1:7000", "--join takes host:port (an IPv6 host in brackets")]
    [InlineData("ftp://node-1:7000", "--join takes host:port or an http:// or https:// address")]
    [InlineData("http://node-1:7000/hyperswarm", "--join takes an address without a path")]
    public void A_bad_peer_is_one_sentence_naming_the_flag(string text, string message)
    {
        var e = Assert.Throws<UserError>(() => NodeAddress.ParsePeer("--join", text));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(text.Trim(), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7001", "127.0.0.1", 7001)]
    [InlineData("localhost:7001", "127.0.0.1", 7001)]
    [InlineData("*:7001", "0.0.0.0", 7001)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("10.1.2.3:7001", "10.1.2.3", 7001)]
    [InlineData("[::]:7001", "::", 7001)]
    public void A_listen_address_is_an_ip_or_localhost_or_star_and_a_port(string text, string ip, int port) =>
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ip), port), NodeAddress.ParseListen("--listen", text));

    [Fact]
    public void Listening_on_a_host_name_is_refused() =>
        Assert.StartsWith("--listen takes an IP address, localhost or * as its host, got 'node-1'",
            Assert.Throws<UserError>(() => NodeAddress.ParseListen("--listen", "node-1:7001")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("*:7001", true)]
    [InlineData("[::]:7001", true)]
    [InlineData("127.0.0.1:7001", false)]
    public void Every_interface_is_a_wildcard(string text, bool wildcard) =>
        Assert.Equal(wildcard, NodeAddress.IsWildcard(NodeAddress.ParseListen("--listen", text)));

    [Fact]
    public void An_advertised_ipv6_address_keeps_its_brackets() =>
        Assert.Equal("[fd00::5]:7001", NodeAddress.ParseAdvertised("--advertise", "[fd00::5]:7001"));
}
