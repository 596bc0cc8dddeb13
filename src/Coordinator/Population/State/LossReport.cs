namespace HyperSwarm.Coordinator.Population;

/// <summary>The last finite losses a member reported, and when the coordinator received them.</summary>
public sealed record LossReport(long Step, double TrainLoss, double ValidationLoss, double ValidationAccuracy, DateTimeOffset At);
