using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// Loads the exported model a command was given: a model folder or card (libtorch), or an .onnx
/// file (ONNX Runtime, no libtorch). A missing or unreadable one is the request's mistake (exit code 2).
/// </summary>
internal static class ModelFile
{
    /// <summary><see cref="ExportedModel.Load"/>, on the thread that will run the model.</summary>
    public static ExportedModel Load(string path)
    {
        try
        {
            return ExportedModel.Load(path);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or CheckpointException or ArgumentException)
        {
            throw new UserError(e.Message);
        }
    }

    /// <summary>Whether <paramref name="path"/> is an .onnx file, which runs without libtorch.</summary>
    public static bool IsOnnx(string path) => OnnxClassifier.IsOnnxPath(path);

    /// <summary><see cref="OnnxClassifier.Load"/> on <paramref name="threads"/> threads.</summary>
    public static OnnxClassifier LoadOnnx(string path, int threads)
    {
        try
        {
            return OnnxClassifier.Load(path, threads);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException)
        {
            throw new UserError(e.Message);
        }
    }
}
