using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests;

public sealed class InfoCommandTests
{
    [Fact]
    public async Task Info_reports_libtorch_threads_and_cuda()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("info");

        Assert.True(code == 0, stderr);
        Assert.Contains("libtorch 1.", stdout, StringComparison.Ordinal);
        Assert.Contains("libhstorch.so", stdout, StringComparison.Ordinal);
        Assert.Contains("threads", stdout, StringComparison.Ordinal);
        Assert.Contains("CUDA available", stdout, StringComparison.Ordinal);
    }
}
