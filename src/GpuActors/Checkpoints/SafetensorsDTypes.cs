using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>The safetensors names of the dtypes we store ("F32", "BF16", …), both ways.</summary>
public static class SafetensorsDTypes
{
    private static readonly (DType DType, string Name)[] Table =
    [
        (DType.Float32, "F32"),
        (DType.Float64, "F64"),
        (DType.Int64, "I64"),
        (DType.UInt8, "U8"),
        (DType.Bool, "BOOL"),
        (DType.Int32, "I32"),
        (DType.Float16, "F16"),
        (DType.BFloat16, "BF16"),
    ];

    /// <summary>The header name of <paramref name="dtype"/>.</summary>
    public static string Name(DType dtype)
    {
        foreach (var (d, n) in Table)
        {
            if (d == dtype) return n;
        }

        throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "dtype has no safetensors name");
    }

    /// <summary>The dtype a header names; false for names we do not support (e.g. "F8_E4M3").</summary>
    public static bool TryParse(string name, out DType dtype)
    {
        foreach (var (d, n) in Table)
        {
            // Case-sensitive: the format spells dtypes in upper case only.
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                dtype = d;
                return true;
            }
        }

        dtype = default;
        return false;
    }
}
