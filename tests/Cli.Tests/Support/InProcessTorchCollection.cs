namespace HyperSwarm.Cli.Tests.Support;

/// <summary>
/// Tests that count libtorch's live tensors in this process: the count is process-wide, so
/// they run alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessTorchCollection
{
    public const string Name = "in-process torch";
}
