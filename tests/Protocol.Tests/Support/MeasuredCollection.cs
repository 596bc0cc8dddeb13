namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// Tests that measure the whole process (allocated bytes, managed heap growth) run in this
/// collection, alone: another test's allocations in parallel would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredCollection
{
    public const string Name = "Measured (runs alone)";
}
