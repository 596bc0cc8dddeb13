namespace HyperSwarm.Bench;

/// <summary>
/// One benchmark run by <c>hyperswarm bench NAME</c>. It measures HyperSwarm against the
/// named peer in the same invocation and reports ratios; absolute times on shared
/// machines are noise.
/// </summary>
public interface IBenchmark
{
    /// <summary>The NAME in <c>hyperswarm bench NAME</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>hyperswarm bench --help</c>.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark; progress goes to <paramref name="log"/>.</summary>
    Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken);
}
