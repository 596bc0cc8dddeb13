namespace HyperSwarm.GpuActors.Training;

/// <summary>Mean cross-entropy and accuracy of a model over one split.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy, int Examples);
