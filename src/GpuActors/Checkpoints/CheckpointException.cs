namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// A checkpoint or safetensors file that cannot be used: malformed, truncated, tampered with,
/// or not matching the model it is loaded into. The message is one sentence naming the file
/// and the problem, e.g. <c>Checkpoint file 'run/step-000000100.safetensors' is truncated: …</c>.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates an exception for <paramref name="path"/>; <paramref name="problem"/> continues the sentence.</summary>
    public CheckpointException(string path, string problem)
        : base($"Checkpoint file '{path}' {problem.TrimEnd('.')}.")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Creates an exception that wraps the I/O or JSON error that revealed the problem.</summary>
    public CheckpointException(string path, string problem, Exception inner)
        : base($"Checkpoint file '{path}' {problem.TrimEnd('.')}.", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file concerned (or a description such as "(in memory)" for unsaved content).</summary>
    public string Path { get; }

    /// <summary>The problem, without the file name.</summary>
    public string Problem { get; }
}
