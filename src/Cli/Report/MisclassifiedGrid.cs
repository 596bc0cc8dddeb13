using System.Globalization;
using System.Net;
using System.Text;
using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// The test images the model got wrong, most confident mistakes first, as an HTML grid of
/// embedded PNGs (drawn with SkiaSharp from the test split's pixels, as the model saw them),
/// each captioned with its true and predicted class.
/// </summary>
internal static class MisclassifiedGrid
{
    /// <summary>At most this many tiles: the worst mistakes say enough, and each costs a few kB.</summary>
    public const int MaxImages = 48;

    // Displayed side of a tile; small inputs (28 px) are enlarged without blurring.
    private const int Side = 84;

    /// <summary>The indices shown, in order: wrong predictions, the most confident first (ties by index).</summary>
    public static IReadOnlyList<int> Pick(TestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return [.. Enumerable.Range(0, outcome.Predicted.Length)
            .Where(i => outcome.Predicted[i] != outcome.Test.Labels[i])
            .OrderByDescending(i => outcome.Confidence[i]).ThenBy(i => i)
            .Take(MaxImages)];
    }

    public static string Html(TestOutcome outcome)
    {
        var picked = Pick(outcome);
        if (picked.Count == 0) return "<p>Every test image was classified correctly.</p>";
        var html = new StringBuilder("<div class=\"grid\">");
        foreach (var i in picked)
        {
            var truth = WebUtility.HtmlEncode(outcome.ClassNames[(int)outcome.Test.Labels[i]]);
            var guess = WebUtility.HtmlEncode(outcome.ClassNames[outcome.Predicted[i]]);
            html.Append(CultureInfo.InvariantCulture,
                $"<figure class=\"tile\"><img alt=\"test image {i}\" src=\"data:image/png;base64,{Convert.ToBase64String(Png(outcome.Test.Image(i), outcome.Test.Shape))}\">"
                + $"<figcaption>true: <b>{truth}</b><br>predicted: <b>{guess}</b> ({outcome.Confidence[i]:P0})</figcaption></figure>");
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>One (C, H, W) uint8 image (C = 1 or 3) as a PNG of <see cref="Side"/> pixels a side.</summary>
    public static byte[] Png(ReadOnlySpan<byte> image, ImageShape shape)
    {
        var plane = shape.PlaneSize;
        using var source = new SKBitmap(new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = source.GetPixelSpan(); // (H, W, 4), rows packed: RowBytes = 4·W for this width and type
        for (var i = 0; i < plane; i++)
        {
            var r = image[i];
            var g = shape.Channels == 3 ? image[plane + i] : r;
            var b = shape.Channels == 3 ? image[2 * plane + i] : r;
            var at = i / shape.Width * source.RowBytes + 4 * (i % shape.Width);
            (rgba[at], rgba[at + 1], rgba[at + 2], rgba[at + 3]) = (r, g, b, 255);
        }

        using var scaled = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(scaled))
        using (var picture = SKImage.FromBitmap(source))
        {
            canvas.DrawImage(picture, new SKRect(0, 0, Side, Side), new SKSamplingOptions(SKFilterMode.Nearest), null);
        }

        using var data = scaled.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
