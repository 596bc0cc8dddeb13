using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm export --model PATH --format onnx [--out FILE]</c>: writes an exported model as
/// a plain float32 ONNX classifier (<see cref="OnnxExport"/>) that <c>eval</c>, <c>predict</c> and
/// any ONNX runtime can run without libtorch. The file appears whole or not at all.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "An exported model: a run's model/ folder or its model.json.", Required = true };
        var format = new Option<string>("--format") { Description = "The file format to write: onnx.", Required = true };
        var output = new Option<string?>("--out") { Description = "The .onnx file to write (default: model.onnx beside the model's card)." };
        var json = new Option<bool>("--json") { Description = "Print what was written as one JSON object." };
        var command = new Command("export", "Write an exported model as an ONNX file that ONNX Runtime runs.");
        foreach (var option in new Option[] { model, format, output, json }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(format) != "onnx") throw new UserError($"--format must be onnx, got '{parse.GetValue(format)}'.");
            var modelPath = parse.GetValue(model)!;
            var path = Path.GetFullPath(parse.GetValue(output) ?? DefaultOut(modelPath));
            CheckOut(path);
            var bytes = await TorchThread.RunAsync(1, () =>
            {
                using var exported = ModelFile.Load(modelPath);
                try
                {
                    return OnnxExport.ToBytes(exported, Path.GetFileName(path));
                }
                catch (NotSupportedException e)
                {
                    throw new UserError(e.Message);
                }
            }).ConfigureAwait(false);
            await WriteAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { @out = path, bytes = bytes.Length, opset = OnnxExport.Opset })
                : string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({bytes.Length:N0} bytes, ONNX opset {OnnxExport.Opset})"));
            return 0;
        });
        return command;
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
            throw new UserError($"cannot write {path}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}");
        }
    }
}
