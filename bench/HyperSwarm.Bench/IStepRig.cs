namespace HyperSwarm.Bench;

/// <summary>A model, a fixed batch and its training step, warmed up; lives on one torch thread.</summary>
public interface IStepRig : IDisposable
{
    /// <summary>Runs <paramref name="steps"/> training steps; returns images/s.</summary>
    double Measure(int steps);
}
