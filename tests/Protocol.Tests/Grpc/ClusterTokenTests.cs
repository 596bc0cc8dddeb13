using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class ClusterTokenTests
{
    private const string Secret = "0123456789abcdef-secret";

    [Fact]
    public void Short_or_spaced_tokens_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ClusterToken("short"));
        Assert.Throws<ArgumentException>(() => new ClusterToken("has a space in it, long enough"));
    }

    [Fact]
    public void Configured_token_wins_over_the_environment()
    {
        Environment.SetEnvironmentVariable(ClusterToken.EnvironmentVariable, "from-environment-0123456789");
        try
        {
            Assert.True(ClusterToken.Resolve(Secret)!.Matches("Bearer " + Secret));
            Assert.True(ClusterToken.Resolve(null)!.Matches("Bearer from-environment-0123456789"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ClusterToken.EnvironmentVariable, null);
        }

        Assert.Null(ClusterToken.Resolve(null));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_token_file_readable_by_others_is_used_with_a_warning()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Secret + "\n");
            var log = new CapturingLogger();

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var open = ClusterToken.FromFile(path, log);
            int warningsWhenOpen = log.Entries.Count(e => e.Level == LogLevel.Warning);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            ClusterToken.FromFile(path, log);

            Assert.True(open.Matches("Bearer " + Secret));
            Assert.Equal(1, warningsWhenOpen);
            Assert.Equal(1, log.Entries.Count(e => e.Level == LogLevel.Warning));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Only_the_exact_bearer_value_matches()
    {
        var token = new ClusterToken(Secret);

        Assert.True(token.Matches("Bearer " + Secret));
        Assert.False(token.Matches(Secret));
        Assert.False(token.Matches("Bearer " + Secret + "x"));
        Assert.False(token.Matches(null));
    }
}
