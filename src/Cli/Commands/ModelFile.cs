using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Commands;

/// <summary>Loads the exported model a command was given; a missing or unreadable one is the request's mistake (exit code 2).</summary>
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
}
