using HyperSwarm.Cli.Report;
using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests.Report;

// The grid shows the test images the model got wrong, drawn from the pixels it saw.
public sealed class MisclassifiedGridTests
{
    private static readonly string[] Classes = ["red", "blue", "green"];

    [Fact]
    public void Only_wrong_predictions_are_shown_the_most_confident_first_with_their_true_colours()
    {
        // (4, 3, 2, 2): red, blue, green, blue; the model says red, red, green, green.
        var pixels = new byte[4 * 12];
        void Paint(int image, int channel) => pixels.AsSpan(image * 12 + channel * 4, 4).Fill(255);
        Paint(0, 0);
        Paint(1, 2);
        Paint(2, 1);
        Paint(3, 2);
        var test = new ImageDataset("t", pixels, [0, 1, 2, 1], new ImageShape(3, 2, 2), 3);
        var outcome = new TestOutcome(Classes, test, [0, 0, 2, 2], [0.9f, 0.6f, 0.8f, 0.7f]);

        Assert.Equal([3, 1], MisclassifiedGrid.Pick(outcome));
        var html = MisclassifiedGrid.Html(outcome);
        Assert.Contains("true: <b>blue</b><br>predicted: <b>green</b> (70 %)", html, StringComparison.Ordinal);
        Assert.Contains("true: <b>blue</b><br>predicted: <b>red</b> (60 %)", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("(70 %)", StringComparison.Ordinal) < html.IndexOf("(60 %)", StringComparison.Ordinal));
        using var png = SKBitmap.Decode(MisclassifiedGrid.Png(test.Image(1), test.Shape));
        Assert.Equal(new SKColor(0, 0, 255), png.GetPixel(png.Width / 2, png.Height / 2));
    }

    [Fact]
    public void A_gray_image_is_drawn_gray_and_a_perfect_model_gets_a_sentence_instead_of_a_grid()
    {
        var test = new ImageDataset("t", [10, 20, 30, 200], [0], new ImageShape(1, 2, 2), 2);
        var outcome = new TestOutcome(["dark", "light"], test, [0], [1f]);

        Assert.Equal("<p>Every test image was classified correctly.</p>", MisclassifiedGrid.Html(outcome));
        using var png = SKBitmap.Decode(MisclassifiedGrid.Png(test.Image(0), test.Shape));
        Assert.Equal(new SKColor(200, 200, 200), png.GetPixel(png.Width - 1, png.Height - 1)); // bottom right pixel, enlarged
    }
}
