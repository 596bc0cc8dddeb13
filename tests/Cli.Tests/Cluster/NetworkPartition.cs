using System.Diagnostics;
using System.Globalization;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// A network namespace joined to this one by a veth pair (DESIGN.md §5's partition): a process
/// started in <see cref="Namespace"/> reaches <see cref="HostAddress"/> until <see cref="Cut"/>
/// takes the host end down, and again after <see cref="Heal"/>. Made with <c>ip</c> as root;
/// disposing deletes the pair and the namespace.
/// </summary>
internal sealed class NetworkPartition : IDisposable
{
    private readonly string hostLink;

    private NetworkPartition(string tag, int subnet)
    {
        Namespace = "hs-" + tag;
        hostLink = "hsh" + tag; // interface names stop at 15 characters
        var nsLink = "hsn" + tag;
        HostAddress = string.Create(CultureInfo.InvariantCulture, $"10.231.{subnet}.1");
        NamespaceAddress = string.Create(CultureInfo.InvariantCulture, $"10.231.{subnet}.2");
        var nsAddress = NamespaceAddress + "/30";
        Ip("netns", "add", Namespace);
        try
        {
            Ip("link", "add", hostLink, "type", "veth", "peer", "name", nsLink);
            Ip("link", "set", nsLink, "netns", Namespace);
            Ip("addr", "add", HostAddress + "/30", "dev", hostLink);
            Ip("link", "set", hostLink, "up");
            Ip("netns", "exec", Namespace, "ip", "addr", "add", nsAddress, "dev", nsLink);
            Ip("netns", "exec", Namespace, "ip", "link", "set", nsLink, "up");
            Ip("netns", "exec", Namespace, "ip", "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The namespace's name, for <c>ip netns exec</c>.</summary>
    public string Namespace { get; }

    /// <summary>This side's address of the pair: listen here to be reachable from the namespace.</summary>
    public string HostAddress { get; }

    /// <summary>The namespace's end of the pair: a process inside listens here to be reachable from this side.</summary>
    public string NamespaceAddress { get; }

    public static NetworkPartition Create()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        return new NetworkPartition(tag, Random.Shared.Next(0, 63) * 4);
    }

    /// <summary>Takes the link down: packets either way are lost, no connection is reset.</summary>
    public void Cut() => Ip("link", "set", hostLink, "down");

    /// <summary>Brings the link back up.</summary>
    public void Heal() => Ip("link", "set", hostLink, "up");

    public void Dispose()
    {
        // Deleting one end deletes the pair; both steps may find nothing left to delete.
        Run("link", "del", hostLink);
        Run("netns", "del", Namespace);
    }

    private static void Ip(params string[] args)
    {
        var (code, error) = Run(args);
        if (code != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {error.Trim()}");
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
