namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A data file that cannot be used: missing, unreadable, truncated, corrupt or of the wrong
/// format. The message is one sentence naming the file and the problem, fit to show a user as is.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>; <paramref name="problem"/> reads as a clause ("the file is truncated").</summary>
    public DataFormatException(string path, string problem, Exception? innerException = null)
        : base($"Cannot read '{path}': {problem}.", innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or directory) at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}
