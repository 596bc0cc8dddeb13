using HyperSwarm.GpuActors.Tests.Data;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests.Support;

/// <summary>
/// An image folder of four classes (<c>blue</c>, <c>gray</c>, <c>green</c>, <c>red</c>) in the
/// split layout: noisy tinted PNGs of mixed sizes under <c>train/</c> and <c>test/</c>. A third
/// of the test images are blends halfway to the next class's tint, so a briefly trained model
/// gets some of them wrong and its probabilities spread over several classes.
/// </summary>
internal sealed class ColourFolder : IDisposable
{
    public static readonly string[] Classes = ["blue", "gray", "green", "red"];

    private static readonly SKColor[] Tints = [new(50, 60, 200), new(128, 128, 128), new(50, 190, 60), new(200, 60, 50)];

    public ColourFolder(string root, int trainPerClass = 16, int testPerClass = 6)
    {
        Root = root;
        var rng = new Random(11);
        for (var c = 0; c < Classes.Length; c++)
        {
            for (var i = 0; i < trainPerClass; i++) Write("train", c, i, rng, blend: 0);
            for (var i = 0; i < testPerClass; i++) Write("test", c, i, rng, blend: i % 3 == 2 ? 0.5 : 0);
        }
    }

    /// <summary>The folder (with <c>train/</c> and <c>test/</c>).</summary>
    public string Root { get; }

    /// <summary>The test images, one folder per class.</summary>
    public string TestFolder => Path.Combine(Root, "test");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Write(string split, int label, int index, Random rng, double blend)
    {
        var (width, height) = (rng.Next(24, 40), rng.Next(24, 40));
        var tint = Mix(Tints[label], Tints[(label + 1) % Tints.Length], blend);
        var noise = Enumerable.Range(0, width * height * 3).Select(_ => rng.Next(-40, 41)).ToArray();
        byte Channel(byte mean, int at) => (byte)Math.Clamp(mean + noise[at], 0, 255);
        var bytes = ImageFiles.Encode(SKEncodedImageFormat.Png, width, height, (x, y) =>
        {
            var at = 3 * (y * width + x);
            return new SKColor(Channel(tint.Red, at), Channel(tint.Green, at + 1), Channel(tint.Blue, at + 2));
        });
        var folder = Directory.CreateDirectory(Path.Combine(Root, split, Classes[label])).FullName;
        File.WriteAllBytes(Path.Combine(folder, $"{index:D3}.png"), bytes);
    }

    private static SKColor Mix(SKColor a, SKColor b, double t) =>
        new((byte)(a.Red + t * (b.Red - a.Red)), (byte)(a.Green + t * (b.Green - a.Green)), (byte)(a.Blue + t * (b.Blue - a.Blue)));
}
