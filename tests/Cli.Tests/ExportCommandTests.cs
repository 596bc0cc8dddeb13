using System.Globalization;
using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests;

// `hyperswarm export --format onnx` as a user runs it on a run's model: the file scores and
// predicts what the model does, under ONNX Runtime with no libtorch, and bad requests are one
// sentence, exit code 2, with nothing written.
[Collection(TrainedRunCollection.Name)]
public sealed class ExportCommandTests(TrainedRun trained, TrainedColourModel colours) : IClassFixture<TrainedColourModel>, IDisposable
{
    // A file that exists but is no library: anything that touches libtorch fails to load it.
    private static readonly string NotALibrary = Path.Combine(AppContext.BaseDirectory, "hyperswarm.runtimeconfig.json");

    private readonly string scratch = Directory.CreateTempSubdirectory("hs-cli-export-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task Eval_of_the_exported_onnx_gives_the_models_accuracy_without_libtorch()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var onnx = Path.Combine(scratch, "small.onnx");

        var (code, stdout, stderr) = await CliProcess.RunAsync("export", "--model", Path.Combine(trained.RunPath, "model"), "--format", "onnx", "--out", onnx, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(new FileInfo(onnx).Length, TrainedRun.LastJsonLine(stdout).GetProperty("bytes").GetInt64());

        var noTorch = new Dictionary<string, string> { ["HS_TORCH_LIB"] = NotALibrary };
        var (onnxCode, onnxOut, onnxErr) = await CliProcess.RunWithEnvironmentAsync(noTorch, "eval", "--model", onnx, "--data", trained.DataPath, "--json");
        var (torchCode, torchOut, torchErr) = await CliProcess.RunAsync("eval", "--model", Path.Combine(trained.RunPath, "model"), "--data", trained.DataPath, "--json");
        var (brokenCode, _, _) = await CliProcess.RunWithEnvironmentAsync(noTorch, "eval", "--model", Path.Combine(trained.RunPath, "model"), "--data", trained.DataPath, "--json");

        Assert.True(onnxCode == 0, onnxErr);
        Assert.True(torchCode == 0, torchErr);
        Assert.NotEqual(0, brokenCode); // the environment really keeps libtorch out
        var viaOnnx = TrainedRun.LastJsonLine(onnxOut);
        var viaTorch = TrainedRun.LastJsonLine(torchOut);
        Assert.Equal(viaTorch.GetProperty("accuracy").GetDouble(), viaOnnx.GetProperty("accuracy").GetDouble());
        Assert.Equal(viaTorch.GetProperty("examples").GetInt32(), viaOnnx.GetProperty("examples").GetInt32());
        Assert.Equal(viaTorch.GetProperty("loss").GetDouble(), viaOnnx.GetProperty("loss").GetDouble(), 1e-4);
    }

    [Fact]
    public async Task Predict_with_the_exported_onnx_ranks_every_image_as_the_model_does()
    {
        Assert.True(colours.ExitCode == 0, colours.Stderr);
        var (code, _, stderr) = await CliProcess.RunAsync("export", "--model", colours.ModelPath, "--format", "onnx");
        Assert.True(code == 0, stderr);
        var onnx = Path.Combine(colours.ModelPath, "model.onnx"); // the default: beside the card

        var environment = new Dictionary<string, string>(colours.Environment) { ["HS_TORCH_LIB"] = NotALibrary };
        var (onnxCode, onnxOut, onnxErr) = await CliProcess.RunWithEnvironmentAsync(environment, "predict", "--model", onnx, colours.TestFolder, "--csv");
        var (torchCode, torchOut, torchErr) = await CliProcess.RunWithEnvironmentAsync(colours.Environment, "predict", "--model", colours.ModelPath, colours.TestFolder, "--csv");

        Assert.True(onnxCode == 0, onnxErr);
        Assert.True(torchCode == 0, torchErr);
        var viaOnnx = Rows(onnxOut);
        var viaTorch = Rows(torchOut);
        Assert.Equal(viaTorch.Length, viaOnnx.Length);
        Assert.True(viaTorch.Length > 10, $"only {viaTorch.Length} rows");
        for (var i = 1; i < viaTorch.Length; i++)
        {
            Assert.Equal(viaTorch[i][..2], viaOnnx[i][..2]); // file, label
            Assert.Equal(double.Parse(viaTorch[i][2], CultureInfo.InvariantCulture), double.Parse(viaOnnx[i][2], CultureInfo.InvariantCulture), 1e-4);
        }
    }

    [Fact]
    public async Task An_unknown_model_is_one_sentence_exit_code_2_and_no_file()
    {
        var onnx = Path.Combine(scratch, "m.onnx");

        var (code, stdout, stderr) = await CliProcess.RunAsync("export", "--model", "/nonexistent/model", "--format", "onnx", "--out", onnx);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/model", line, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    [Theory]
    [InlineData("missing-folder/m.onnx", "its folder does not exist")]
    [InlineData("m.tflite", "--out must name an .onnx file")]
    [InlineData(".", "is a folder")]
    public async Task An_output_that_cannot_be_written_is_one_sentence_exit_code_2_and_nothing_written(string output, string reason)
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var path = output == "." ? scratch + "/x.onnx" : Path.Combine(scratch, output);
        if (output == ".") Directory.CreateDirectory(path);

        var (code, stdout, stderr) = await CliProcess.RunAsync("export", "--model", Path.Combine(trained.RunPath, "model"), "--format", "onnx", "--out", path);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories)); // no temp file left either
    }

    [Fact]
    public async Task Another_format_is_refused_in_one_sentence()
    {
        var (code, _, stderr) = await CliProcess.RunAsync("export", "--model", Path.Combine(trained.RunPath, "model"), "--format", "tflite");

        Assert.Equal(2, code);
        Assert.Equal("error: --format must be onnx, got 'tflite'.", stderr.Trim());
    }

    [Fact]
    public async Task Eval_of_a_file_that_is_not_onnx_is_one_sentence_and_exit_code_2()
    {
        var bad = Path.Combine(scratch, "bad.onnx");
        await File.WriteAllTextAsync(bad, "not a model");

        var (code, _, stderr) = await CliProcess.RunAsync("eval", "--model", bad, "--data", trained.DataPath);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {bad} is not an ONNX model ONNX Runtime can load", line, StringComparison.Ordinal);
    }

    private static string[][] Rows(string csv) =>
        [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(','))];
}
