namespace HyperSwarm.Bench;

/// <summary>Settings common to every benchmark.</summary>
/// <param name="Threads">Intra-op threads for libtorch and its peers (same for both sides).</param>
/// <param name="Quick">Fewer repetitions: for smoke tests of the harness, not for figures.</param>
/// <param name="PythonPath">The Python that sees Debian's torch and grpcio.</param>
public sealed record BenchOptions(int Threads, bool Quick, string PythonPath = "/usr/bin/python3")
{
    /// <summary>Wall-clock budget per arm for benchmarks that train (null: the benchmark's default).</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Dataset folder for benchmarks that train (null: the installed Fashion-MNIST).</summary>
    public string? DataPath { get; init; }

    /// <summary>Device for benchmarks that can run on a GPU (trainer): <c>cpu</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Weight steps per measured round for benchmarks that count steps (null: the benchmark's default).</summary>
    public int? Steps { get; init; }
}
