namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The population's only source of randomness (partner choice, explore). Injected so tests can
/// script draws, and with a <see cref="State"/> the snapshot stores, so a machine restored from
/// a snapshot draws the same numbers the original would have.
/// </summary>
public interface IRandom
{
    /// <summary>A uniform draw in [0, 1).</summary>
    double NextDouble();

    /// <summary>Everything needed to continue the sequence (see <see cref="SplitMix64"/>).</summary>
    ulong State { get; }
}
