using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests;

// `hyperswarm eval` must score an exported model exactly as its training run did, and refuse
// bad paths with one sentence.
[Collection(TrainedRunCollection.Name)]
public sealed class EvalCommandTests(TrainedRun trained)
{
    [Fact]
    public async Task Eval_of_a_run_model_prints_the_runs_test_accuracy()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);

        var (code, stdout, stderr) = await CliProcess.RunAsync("eval", "--model", Path.Combine(trained.RunPath, "model"), "--data", trained.DataPath, "--json");

        Assert.True(code == 0, stderr);
        var result = TrainedRun.LastJsonLine(stdout);
        Assert.Equal(trained.Result.GetProperty("test_accuracy").GetDouble(), result.GetProperty("accuracy").GetDouble());
        Assert.Equal(300, result.GetProperty("examples").GetInt32());
    }

    [Fact]
    public async Task A_missing_model_is_one_line_and_exit_code_2()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("eval", "--model", "/nonexistent", "--data", trained.DataPath);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("/nonexistent", line, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }
}
