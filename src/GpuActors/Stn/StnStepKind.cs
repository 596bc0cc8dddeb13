namespace HyperSwarm.GpuActors.Stn;

/// <summary>What the STN loop does next.</summary>
public enum StnStepKind
{
    /// <summary>A weight step on the training split with perturbed hyperparameters.</summary>
    Weight,

    /// <summary>A hyperparameter step on the validation split.</summary>
    Hyper,
}
