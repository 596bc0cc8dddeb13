using HyperSwarm.Cli.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperSwarm.Cli.Tests.Network;

public sealed class ClusterTokenFileTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-token-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void A_token_file_is_read_and_trimmed()
    {
        var path = Write("  0123456789abcdef0123\n");

        var token = ClusterTokenFile.Load(path, NullLogger.Instance);

        // The same secret as the bare value, seen through what depends on it: the cluster's TLS key.
        Assert.Equal(
            HyperSwarm.Protocol.Cluster.ClusterCertificate.PublicKeyOf(new HyperSwarm.Protocol.Hosting.ClusterToken("0123456789abcdef0123")),
            HyperSwarm.Protocol.Cluster.ClusterCertificate.PublicKeyOf(token!));
        Assert.NotEqual(
            HyperSwarm.Protocol.Cluster.ClusterCertificate.PublicKeyOf(new HyperSwarm.Protocol.Hosting.ClusterToken("0123456789abcdef0124")),
            HyperSwarm.Protocol.Cluster.ClusterCertificate.PublicKeyOf(token!));
    }

    [Fact]
    public void A_missing_token_file_is_one_sentence()
    {
        var path = Path.Combine(folder.FullName, "absent");

        var e = Assert.Throws<UserError>(() => ClusterTokenFile.Load(path, NullLogger.Instance));

        Assert.Equal($"--token-file {path} does not exist.", e.Message);
    }

    [Fact]
    public void A_short_token_is_one_sentence_naming_the_file()
    {
        var path = Write("short\n");

        var e = Assert.Throws<UserError>(() => ClusterTokenFile.Load(path, NullLogger.Instance));

        Assert.Equal($"the cluster token in --token-file {path} is unusable: a cluster token is at least 16 printable ASCII characters without spaces.", e.Message);
    }

    private string Write(string text)
    {
        var path = Path.Combine(folder.FullName, "token");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // no warning for a private file
        return path;
    }
}
