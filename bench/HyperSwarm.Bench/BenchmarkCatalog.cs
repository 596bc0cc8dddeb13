using HyperSwarm.Bench.Binding;

namespace HyperSwarm.Bench;

/// <summary>Every benchmark <c>hyperswarm bench</c> knows, by name.</summary>
public static class BenchmarkCatalog
{
    /// <summary>All benchmarks; adding one is one line here.</summary>
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new BindingBenchmark(),
        new Grpc.GrpcBenchmark(),
        new Actors.ActorBenchmark(),
        new Trainer.TrainerBenchmark(),
        new Accuracy.AccuracyBenchmark(),
        new Accuracy.SmallDataBenchmark(),
        new Accuracy.ImagesBenchmark(),
        new Accuracy.EquilibrationBenchmark(),
        new Coordinator.CoordinatorBenchmark(),
        new Scaling.ScalingBenchmark(),
        new Failover.FailoverBenchmark(),
        new Compression.CompressBenchmark(),
    ];

    /// <summary>The benchmark named <paramref name="name"/>, or null.</summary>
    public static IBenchmark? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
