using System.Text.Json.Serialization;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// How an image folder's files become the model's input, recorded on the model card so that
/// <c>eval</c> (and anything else that feeds the model files) repeats it exactly: EXIF
/// orientation applied, transparent pixels laid on <see cref="AlphaBackground"/>, the shorter
/// side scaled to <see cref="ImageSize"/> and the centre square cropped, then
/// <see cref="Channels"/> planes (1: BT.601 luma, 3: RGB). When the folder has no
/// <c>test/</c>, its test split is the <see cref="TestFraction"/> of each class ranked first by
/// a hash of <see cref="TestSeed"/> and the file's relative path.
/// </summary>
public sealed record ImagePreprocessing
{
    /// <summary>The only resize rule this version knows.</summary>
    public const string ShorterSideCentreCrop = "shorter-side-centre-crop";

    /// <summary>The background transparent pixels are composited over.</summary>
    public const string White = "white";

    /// <summary>The share of each class held out as the test split when there is no <c>test/</c>.</summary>
    public const double DefaultTestFraction = 0.15;

    /// <summary>
    /// Fixed, not the run's seed: every run and every <c>eval</c> of a folder hold out the same
    /// test images, as a distributed dataset's test files are the same for everyone.
    /// </summary>
    public const int DefaultTestSeed = 20;

    /// <summary>Side of the square input, in pixels.</summary>
    public required int ImageSize { get; init; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public required int Channels { get; init; }

    /// <summary>The resize rule; <see cref="ShorterSideCentreCrop"/>.</summary>
    public string Resize { get; init; } = ShorterSideCentreCrop;

    /// <summary>Whether the EXIF orientation of JPEGs (and WebPs) is applied before resizing.</summary>
    public bool ExifOrientation { get; init; } = true;

    /// <summary>What transparent pixels are composited over; <see cref="White"/>.</summary>
    public string AlphaBackground { get; init; } = White;

    /// <summary>The held-out test share when the folder has no <c>test/</c>.</summary>
    public double TestFraction { get; init; } = DefaultTestFraction;

    /// <summary>Seeds the choice of held-out test images.</summary>
    public int TestSeed { get; init; } = DefaultTestSeed;

    /// <summary>The (C, H, W) shape this gives.</summary>
    [JsonIgnore]
    public ImageShape Shape => new(Channels, ImageSize, ImageSize);

    /// <summary>Why this version cannot repeat it (a clause), or null when it can.</summary>
    public string? Unsupported() =>
        Resize != ShorterSideCentreCrop ? $"its resize rule '{Resize}' is not one this version knows ({ShorterSideCentreCrop})"
        : !ExifOrientation ? "it was made without EXIF orientation, which this version always applies"
        : AlphaBackground != White ? $"its alpha background '{AlphaBackground}' is not one this version knows ({White})"
        : Channels is not (1 or 3) ? $"it has {Channels} channels, not 1 or 3"
        : ImageSize < 1 ? $"its image size {ImageSize} is not positive"
        : !(TestFraction > 0 && TestFraction < 1) ? $"its test fraction {TestFraction} is not between 0 and 1"
        : null;
}
