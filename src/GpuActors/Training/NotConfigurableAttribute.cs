namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// A training setting that no config file, flag or environment variable sets: the code that starts
/// the run does (a population member's <see cref="TrainConfig.Horizon"/>, from its worker).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotConfigurableAttribute : Attribute;
