namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A dataset as distributed: the training set (from which validation is carved, see
/// <see cref="DataSplit"/>) and the test set, which only the final evaluation reads.
/// </summary>
public sealed record TrainTestSets(string Name, ImageDataset Train, ImageDataset Test);
