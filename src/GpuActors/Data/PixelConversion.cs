using System.Numerics;

namespace HyperSwarm.GpuActors.Data;

/// <summary>uint8 pixels to [0, 1] floats, vectorised: the one pass every batch makes over all its pixels.</summary>
public static class PixelConversion
{
    private const float Unit = 1f / 255f;

    /// <summary>destination[i] = source[i] / 255.</summary>
    public static void ToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(Unit);
            var step = Vector<byte>.Count;
            for (; i + step <= source.Length; i += step)
            {
                Vector.Widen(new Vector<byte>(source[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                var n = Vector<float>.Count;
                (Vector.ConvertToSingle(a) * scale).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(b) * scale).CopyTo(destination[(i + n)..]);
                (Vector.ConvertToSingle(c) * scale).CopyTo(destination[(i + 2 * n)..]);
                (Vector.ConvertToSingle(d) * scale).CopyTo(destination[(i + 3 * n)..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i] * Unit;
        }
    }
}
