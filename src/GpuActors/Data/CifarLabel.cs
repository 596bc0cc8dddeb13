namespace HyperSwarm.GpuActors.Data;

/// <summary>Which label of a CIFAR-100 record to use (CIFAR-10 records carry only one).</summary>
public enum CifarLabel
{
    /// <summary>The 100 fine classes.</summary>
    Fine,

    /// <summary>The 20 coarse superclasses.</summary>
    Coarse,
}
