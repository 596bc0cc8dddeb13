namespace HyperSwarm.Cli.Predict;

/// <summary>A class and the probability the model gives it.</summary>
internal sealed record RankedClass(string Label, double Probability);
