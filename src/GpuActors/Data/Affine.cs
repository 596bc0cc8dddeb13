using System.Numerics;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// x ← a·x + b over a span, optionally clamped to [0, 1], with SIMD vectors: brightness,
/// contrast and normalisation are all this map, and they run over every value of every batch.
/// </summary>
internal static class Affine
{
    /// <summary>destination[i] = a·source[i] + b (the spans may be the same).</summary>
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, float a, float b)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vb = new Vector<float>(b);
            for (; i + Vector<float>.Count <= source.Length; i += Vector<float>.Count)
            {
                (new Vector<float>(source[i..]) * va + vb).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i] * a + b;
        }
    }

    /// <summary>values[i] = clamp(a·values[i] + b, 0, 1).</summary>
    public static void ApplyClamped(Span<float> values, float a, float b)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vb = new Vector<float>(b);
            for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
            {
                var v = Vector.Min(Vector.Max(new Vector<float>(values[i..]) * va + vb, Vector<float>.Zero), Vector<float>.One);
                v.CopyTo(values[i..]);
            }
        }

        for (; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i] * a + b, 0f, 1f);
        }
    }

    /// <summary>The sum of the values.</summary>
    public static float Sum(ReadOnlySpan<float> values)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
            {
                acc += new Vector<float>(values[i..]);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }
}
