using System.Text.Json;
using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task An_unknown_benchmark_is_one_sentence_and_exit_code_2()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("bench", "no-such-thing");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: There is no benchmark named 'no-such-thing'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Theory]
    [InlineData("gpu", "error: --device: 'gpu' is not a device: use cpu, cuda or cuda:N.")]
    [InlineData("cuda:7", "error: --device: cuda:7 ")]
    public async Task A_device_the_benchmark_cannot_use_is_one_sentence_and_exit_code_2(string device, string start)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("bench", "trainer", "--device", device);

        Assert.Equal(2, code);
        Assert.StartsWith(start, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Steps_below_one_are_one_sentence_and_exit_code_2()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("bench", "scaling", "--steps", "0");

        Assert.Equal(2, code);
        Assert.Equal("error: --steps must be at least 1, got 0.", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Binding_bench_prints_its_figures_as_json_on_the_last_line()
    {
        // --quick checks the harness and both peers; the figures themselves come from full runs.
        var (code, stdout, stderr) = await CliProcess.RunAsync("bench", "binding", "--quick", "--json", "--threads", "1");

        Assert.True(code == 0, stderr);
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.Equal("binding", root.GetProperty("benchmark").GetString());
        Assert.True(root.GetProperty("op_overhead_us").ValueKind == JsonValueKind.Number);
        Assert.True(root.GetProperty("step_ratio_vs_pytorch").GetDouble() > 0);
        Assert.True(root.GetProperty("pytorch_images_per_s").GetDouble() > 0);
        Assert.True(root.GetProperty("cpp_add_us").GetDouble() > 0);
    }
}
