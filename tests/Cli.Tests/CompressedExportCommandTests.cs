using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests;

// `hyperswarm export` with --sparsity, --structured, --finetune and --int8 on a trained run's
// model: smaller files that eval still scores with no libtorch, and every bad flag one sentence,
// exit code 2, before any work, with nothing written.
[Collection(TrainedRunCollection.Name)]
public sealed class CompressedExportCommandTests(TrainedRun trained) : IDisposable
{
    private static readonly string NotALibrary = Path.Combine(AppContext.BaseDirectory, "hyperswarm.runtimeconfig.json");
    private readonly string scratch = Directory.CreateTempSubdirectory("hs-cli-compress-").FullName;

    private string ModelPath => Path.Combine(trained.RunPath, "model");

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task Structured_pruning_and_int8_shrink_the_file_and_eval_still_scores_it_without_libtorch()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var dense = Path.Combine(scratch, "dense.onnx");
        var small = Path.Combine(scratch, "small.onnx");

        var (denseCode, denseOut, denseErr) = await CliProcess.RunAsync("export", "--model", ModelPath, "--format", "onnx", "--out", dense, "--json");
        var (code, stdout, stderr) = await CliProcess.RunAsync("export", "--model", ModelPath, "--format", "onnx", "--out", small,
            "--sparsity", "0.5", "--structured", "--int8", "--data", trained.DataPath, "--threads", "1", "--json");

        Assert.True(denseCode == 0, denseErr);
        Assert.True(code == 0, stderr);
        var full = TrainedRun.LastJsonLine(denseOut);
        var compact = TrainedRun.LastJsonLine(stdout);
        Assert.Equal(new FileInfo(small).Length, compact.GetProperty("bytes").GetInt64());
        Assert.True(compact.GetProperty("bytes").GetInt64() * 8 < full.GetProperty("bytes").GetInt64(), $"{compact} vs {full}"); // ≈ ¼ of the units' weights, at ¼ the bytes each
        Assert.True(compact.GetProperty("parameters").GetInt64() * 3 < full.GetProperty("parameters").GetInt64(), $"{compact} vs {full}");
        Assert.True(compact.GetProperty("int8").GetBoolean());

        var noTorch = new Dictionary<string, string> { ["HS_TORCH_LIB"] = NotALibrary };
        var (evalCode, evalOut, evalErr) = await CliProcess.RunWithEnvironmentAsync(noTorch, "eval", "--model", small, "--data", trained.DataPath, "--json");
        Assert.True(evalCode == 0, evalErr);
        Assert.InRange(TrainedRun.LastJsonLine(evalOut).GetProperty("accuracy").GetDouble(), 0.0, 1.0);
    }

    [Fact]
    public async Task Fine_tuning_after_pruning_takes_steps_and_lowers_the_pruned_models_test_loss()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var pruned = Path.Combine(scratch, "pruned.onnx");
        var tuned = Path.Combine(scratch, "tuned.onnx");
        string[] prune = ["--format", "onnx", "--sparsity", "0.75", "--structured", "--data", trained.DataPath, "--threads", "1", "--json"];

        var (code, _, stderr) = await CliProcess.RunAsync(["export", "--model", ModelPath, "--out", pruned, .. prune]);
        var (tunedCode, tunedOut, tunedErr) = await CliProcess.RunAsync(["export", "--model", ModelPath, "--out", tuned, "--finetune", "5s", .. prune]);

        Assert.True(code == 0, stderr);
        Assert.True(tunedCode == 0, tunedErr);
        Assert.True(TrainedRun.LastJsonLine(tunedOut).GetProperty("finetune_steps").GetInt64() > 0);
        var before = await LossAsync(pruned);
        var after = await LossAsync(tuned);
        Assert.True(after < before, $"test loss {before:F4} before fine-tuning, {after:F4} after");
    }

    [Theory]
    [InlineData("--sparsity 1.5", "--sparsity must lie in [0, 0.99], got 1.5.")]
    [InlineData("--sparsity -0.1", "--sparsity must lie in [0, 0.99], got -0.1.")]
    [InlineData("--structured", "--structured removes units only with a --sparsity above 0.")]
    [InlineData("--sparsity 0.5 --finetune soon", "--finetune: ")]
    [InlineData("--sparsity 0.5 --int8 --data /nonexistent/data", "/nonexistent/data")]
    public async Task A_bad_compression_flag_is_one_sentence_exit_code_2_and_no_file(string flags, string message)
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var onnx = Path.Combine(scratch, "m.onnx");

        var (code, stdout, stderr) = await CliProcess.RunAsync(["export", "--model", ModelPath, "--format", "onnx", "--out", onnx, .. flags.Split(' ')]);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_output_no_one_can_write_is_one_sentence_exit_code_2_after_pruning_and_no_file()
    {
        // procfs refuses new files even to root: the write itself fails, after the pruning ran.
        Assert.True(trained.ExitCode == 0, trained.Stderr);

        var (code, stdout, stderr) = await CliProcess.RunAsync("export", "--model", ModelPath, "--format", "onnx", "--out", "/proc/hs-model.onnx", "--sparsity", "0.5", "--structured");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: cannot write /proc/hs-model.onnx", line, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp-", line, StringComparison.Ordinal); // the file asked for, not the temporary one the write goes through
        Assert.Empty(stdout);
        Assert.False(File.Exists("/proc/hs-model.onnx"));
    }

    private async Task<double> LossAsync(string onnx)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("eval", "--model", onnx, "--data", trained.DataPath, "--json");
        Assert.True(code == 0, stderr);
        return TrainedRun.LastJsonLine(stdout).GetProperty("loss").GetDouble();
    }
}
