namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Changes the channel count of uint8 images when a model expects another than the folder has:
/// gray to RGB repeats the plane; RGB to gray is BT.601 luma (the rule JPEG's YCbCr uses).
/// </summary>
internal static class ChannelConversion
{
    /// <summary><paramref name="pixels"/> (N, from.C, H, W) as (N, <paramref name="channels"/>, H, W); the same array when they match.</summary>
    public static byte[] Convert(byte[] pixels, ImageShape from, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (from.Channels == channels) return pixels;
        var plane = from.PlaneSize;
        var count = pixels.Length / from.Size;
        var output = GC.AllocateUninitializedArray<byte>(count * channels * plane);
        for (var n = 0; n < count; n++)
        {
            var source = pixels.AsSpan(n * from.Size, from.Size);         // (from.C, H, W)
            var target = output.AsSpan(n * channels * plane, channels * plane); // (channels, H, W)
            if (from.Channels == 1 && channels == 3)
            {
                for (var c = 0; c < 3; c++) source.CopyTo(target.Slice(c * plane, plane));
            }
            else if (from.Channels == 3 && channels == 1)
            {
                for (var i = 0; i < plane; i++)
                {
                    target[i] = (byte)((299 * source[i] + 587 * source[plane + i] + 114 * source[2 * plane + i] + 500) / 1000);
                }
            }
            else
            {
                throw new ArgumentException($"Cannot convert {from.Channels}-channel images to {channels} channels.", nameof(channels));
            }
        }

        return output;
    }
}
