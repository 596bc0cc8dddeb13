namespace HyperSwarm.Torch;

/// <summary>Element types; values mirror <c>hs_dtype</c> in hs_torch.h.</summary>
public enum DType
{
    /// <summary>32-bit float.</summary>
    Float32 = 0,

    /// <summary>64-bit float (gradient checks).</summary>
    Float64 = 1,

    /// <summary>64-bit integer (labels, indices).</summary>
    Int64 = 2,

    /// <summary>Unsigned byte (raw images).</summary>
    UInt8 = 3,

    /// <summary>Boolean (masks, comparisons).</summary>
    Bool = 4,

    /// <summary>32-bit integer.</summary>
    Int32 = 5,

    /// <summary>16-bit float.</summary>
    Float16 = 6,

    /// <summary>bfloat16.</summary>
    BFloat16 = 7,
}
