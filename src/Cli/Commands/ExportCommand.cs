using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HyperSwarm.Cli.Config;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm export --model PATH --format onnx [--sparsity S] [--structured] [--finetune D]
/// [--int8] [--out FILE]</c>: writes an exported model as an ONNX classifier
/// (<see cref="OnnxExport"/>) that <c>eval</c>, <c>predict</c> and any ONNX runtime can run
/// without libtorch, optionally pruned (<see cref="PruningPlan"/>), fine-tuned after pruning
/// (<see cref="FineTuning"/>) and quantized to int8 (docs/compression.md). Every flag is checked
/// before any work starts; the file appears whole or not at all.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "An exported model: a run's model/ folder or its model.json.", Required = true };
        var format = new Option<string>("--format") { Description = "The file format to write: onnx.", Required = true };
        var output = new Option<string?>("--out") { Description = "The .onnx file to write (default: model.onnx beside the model's card)." };
        var sparsity = new Option<double>("--sparsity") { Description = "Magnitude pruning: the share of weights (or with --structured, of units) to remove, in [0, 0.99] (default 0)." };
        var structured = new Option<bool>("--structured") { Description = "Prune whole units (output channels and features), so the file and the latency shrink; needs --sparsity." };
        var finetune = new Option<string?>("--finetune") { Description = "Train the pruned model this long with AGD before writing it (e.g. 2m), to recover accuracy." };
        var int8 = new Option<bool>("--int8") { Description = "Quantize to int8 (QDQ), calibrated on training images." };
        var data = new Option<string>("--data") { Description = "Training images for --finetune and --int8 (default: the installed Fashion-MNIST).", DefaultValueFactory = _ => DataConfig.DefaultPath };
        var threads = new Option<int>("--threads") { Description = "Threads for fine-tuning and calibration (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print what was written as one JSON object." };
        var command = new Command("export", "Write an exported model as an ONNX file that ONNX Runtime runs, optionally pruned, fine-tuned and quantized.");
        foreach (var option in new Option[] { model, format, output, sparsity, structured, finetune, int8, data, threads, json }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(format) != "onnx") throw new UserError($"--format must be onnx, got '{parse.GetValue(format)}'.");
            var request = new Request(parse.GetValue(sparsity), parse.GetValue(structured), ParseFinetune(parse.GetValue(finetune)), parse.GetValue(int8), parse.GetValue(data)!, parse.GetValue(threads));
            request.Validate();
            var modelPath = parse.GetValue(model)!;
            var path = Path.GetFullPath(parse.GetValue(output) ?? DefaultOut(modelPath));
            CheckOut(path);
            var asJson = parse.GetValue(json);
            var console = asJson ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
            var (bytes, steps) = await TorchThread.RunAsync(request.Threads, () => Build(modelPath, Path.GetFileName(path), request, console, cancellationToken)).ConfigureAwait(false);
            await WriteAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            var parameters = OnnxFileStats.NonZeroParameters(bytes);
            Console.Out.WriteLine(asJson
                ? JsonSerializer.Serialize(new { @out = path, bytes = bytes.Length, opset = OnnxExport.Opset, parameters, sparsity = request.Sparsity, structured = request.Structured, int8 = request.Int8, finetune_steps = steps })
                : string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({bytes.Length:N0} bytes, {parameters:N0} non-zero parameters, ONNX opset {OnnxExport.Opset}{Describe(request, steps)})"));
            return 0;
        });
        return command;
    }

    // On the torch thread: load, prune, fine-tune, quantize; the bytes and the fine-tuning steps taken.
    private static (byte[] Bytes, long Steps) Build(string modelPath, string fileName, Request request, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var exported = ModelFile.Load(modelPath);
        try
        {
            var plan = request.Sparsity > 0 ? PruningPlan.For(exported.Model, OnnxExport.Lambda(exported), request.Sparsity, request.Structured) : null;
            var train = request.Finetune is not null || request.Int8 ? ModelTestSplit.LoadTrain(request.DataPath, exported.Card, console) : null;
            long steps = 0;
            if (request.Finetune is { } duration)
            {
                console.WriteLine($"fine-tuning the pruned model for {DurationText.Format(duration)} on {train!.Count:N0} training images");
                steps = FineTuning.Run(exported, plan ?? PruningPlan.None, train, new FineTuneBudget(duration, null), seed: 0, cancellationToken);
            }

            var calibration = request.Int8 ? Int8Calibration.From(train!, exported.Normalization, threads: request.Threads) : null;
            return (OnnxExport.ToBytes(exported, fileName, plan, calibration), steps);
        }
        catch (NotSupportedException e)
        {
            throw new UserError(e.Message);
        }
    }

    private static TimeSpan? ParseFinetune(string? text)
    {
        if (text is null) return null;
        try
        {
            return DurationText.Parse(text) ?? throw new UserError("--finetune needs a duration such as 2m.");
        }
        catch (FormatException e)
        {
            throw new UserError($"--finetune: {e.Message}");
        }
    }

    private static string Describe(Request request, long steps)
    {
        var parts = new List<string>();
        if (request.Sparsity > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"pruned at {request.Sparsity} {(request.Structured ? "by unit" : "by weight")}"));
        if (request.Finetune is not null) parts.Add($"fine-tuned {steps} steps");
        if (request.Int8) parts.Add("int8");
        return parts.Count == 0 ? "" : "; " + string.Join(", ", parts);
    }

    // model.onnx beside the card: a run's model/ folder gains its ONNX twin.
    private static string DefaultOut(string modelPath) =>
        Path.Combine(Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "model.onnx");

    private static void CheckOut(string path)
    {
        if (!OnnxClassifier.IsOnnxPath(path)) throw new UserError($"--out must name an .onnx file (eval and predict recognise ONNX models by it), got {path}.");
        if (Directory.Exists(path)) throw new UserError($"{path} is a folder; name the .onnx file to write.");
        if (!Directory.Exists(Path.GetDirectoryName(path))) throw new UserError($"cannot write {path}: its folder does not exist.");
    }

    private static async Task WriteAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // The exception names the temporary file the write goes through, not the one asked for.
            var reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "its folder does not take new files",
                _ => e.Message.TrimEnd('.'),
            };
            throw new UserError($"cannot write {path}: {reason}.");
        }
    }

    // What the flags ask for, checked as a whole before anything is loaded.
    private sealed record Request(double Sparsity, bool Structured, TimeSpan? Finetune, bool Int8, string DataPath, int Threads)
    {
        public void Validate()
        {
            if (!(Sparsity >= 0 && Sparsity <= TargetSelection.MaxProportion))
            {
                throw new UserError(string.Create(CultureInfo.InvariantCulture, $"--sparsity must lie in [0, {TargetSelection.MaxProportion}], got {Sparsity}."));
            }

            if (Structured && Sparsity == 0) throw new UserError("--structured removes units only with a --sparsity above 0.");
            if (Finetune is { } d && d <= TimeSpan.Zero) throw new UserError($"--finetune must be a positive duration, got {d}.");
            if (Threads < 1) throw new UserError($"--threads must be at least 1, got {Threads}.");
        }
    }
}
