using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.GpuActors.Tests.Data;

// Image folders through DatasetCatalog, as training and eval load them: layouts, splits,
// preprocessing chosen from the data, the decode cache, and bad input.
public sealed class ImageFolderTests : IDisposable
{
    private static readonly Dictionary<string, SKColor> Colours = new()
    {
        ["ant"] = new SKColor(200, 40, 40),
        ["bee"] = new SKColor(40, 200, 40),
        ["cat"] = new SKColor(40, 40, 200),
        ["emu"] = new SKColor(200, 200, 40),
    };

    private readonly TestFiles data = new();
    private readonly TestFiles cache = new();
    private int decoded;

    public void Dispose()
    {
        data.Dispose();
        cache.Dispose();
    }

    private string Root => data.Directory;

    private string CacheFile => Assert.Single(Directory.GetFiles(cache.Directory, "*.hsimg", SearchOption.AllDirectories));

    [Fact]
    public void Class_folders_load_with_their_sorted_names_as_labels()
    {
        foreach (var name in new[] { "cat", "ant", "bee" }) Images(name, 7);

        var sets = Load();

        Assert.Equal(Path.GetFileName(Root), sets.Name);
        Assert.Equal(["ant", "bee", "cat"], sets.ClassNames);
        Assert.Equal(21, sets.Train.Count + sets.Test.Count);
        Assert.Equal(3, sets.Train.ClassCount);
        AssertPixelsMatchLabels(sets.Train, sets.ClassNames!);
        AssertPixelsMatchLabels(sets.Test, sets.ClassNames!);
    }

    [Fact]
    public void Mixed_formats_and_sizes_become_one_size_chosen_from_the_median_shorter_side()
    {
        var red = Colours["ant"];
        data.Write("ant/a.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 20, 30, red));
        data.Write("ant/b.jpg", ImageFiles.Solid(SKEncodedImageFormat.Jpeg, 40, 28, red));
        data.Write("ant/c.bmp", ImageFiles.Bmp(33, 33, (_, _) => red));
        data.Write("bee/d.gif", ImageFiles.Gif(24, 24, [Colours["bee"]], (_, _) => 0));
        data.Write("bee/e.webp", ImageFiles.Solid(SKEncodedImageFormat.Webp, 50, 36, Colours["bee"]));
        data.Write("bee/f.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 64, 29, Colours["bee"]));

        var sets = Load();

        Assert.Equal(new ImageShape(3, 28, 28), sets.Train.Shape); // shorter sides 20, 24, 28, 29, 33, 36: median 28.5 → 28
        Assert.Equal(new ImagePreprocessing { ImageSize = 28, Channels = 3 }, sets.Preprocessing);
        Assert.Empty(sets.Skipped);
        AssertPixelsMatchLabels(sets.Train, sets.ClassNames!);
    }

    [Fact]
    public void All_gray_images_give_one_channel()
    {
        Images("ant", 3, (_, x) => new SKColor((byte)(x * 9), (byte)(x * 9), (byte)(x * 9)));
        Images("bee", 3, (_, _) => SKColors.DarkGray);

        var sets = Load();

        Assert.Equal(1, sets.Train.Shape.Channels);
        Assert.Equal(1, sets.Preprocessing!.Channels);
    }

    [Fact]
    public void One_colour_image_among_gray_ones_gives_three_channels()
    {
        Images("ant", 3, (_, _) => SKColors.DarkGray);
        Images("bee", 3, (_, _) => SKColors.Gray);
        data.Write("bee/colour.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 24, 24, SKColors.Orange));

        Assert.Equal(3, Load().Train.Shape.Channels);
    }

    [Fact]
    public void The_test_split_is_stratified_and_the_same_on_every_load()
    {
        Images("ant", 20);
        Images("bee", 10);

        var first = Load();
        File.Delete(CacheFile);
        var second = Load();

        Assert.Equal(3, first.Test.Labels.Count(l => l == 0)); // round(20 · 0.15)
        Assert.Equal(2, first.Test.Labels.Count(l => l == 1)); // round(10 · 0.15), halves away from zero
        Assert.Equal(first.Test.Images, second.Test.Images);
        Assert.Equal(first.Train.Images, second.Train.Images);
        Assert.True(first.Stratified);
        Assert.Null(first.Validation);
    }

    [Fact]
    public void Validation_is_carved_per_class_by_the_run_seed()
    {
        Images("ant", 24);
        Images("bee", 12);
        var sets = Load();

        var split = sets.Split(0.25, seed: 3);

        Assert.Equal(sets.Split(0.25, seed: 3).Validation, split.Validation);
        Assert.Equal(5, split.Validation.Count(i => sets.Train.Labels[i] == 0)); // ant: 24 − 4 test = 20, a quarter
        Assert.Equal(3, split.Validation.Count(i => sets.Train.Labels[i] == 1)); // bee: 12 − 2 test = 10, 2.5 → 3
    }

    [Fact]
    public void A_train_val_test_layout_gives_exactly_those_splits()
    {
        Images("train/ant", 4);
        Images("train/bee", 5);
        Images("val/ant", 2);
        Images("val/bee", 1);
        Images("test/bee", 3);

        var sets = Load();
        var split = sets.Split(0.15, seed: 0);

        Assert.Equal(["ant", "bee"], sets.ClassNames);
        Assert.Equal(12, sets.Train.Count);
        Assert.Equal(3, split.Validation.Count);
        Assert.Equal([0L, 0L, 1L], split.Validation.Select(i => sets.Train.Labels[i]).Order());
        Assert.Equal([1L, 1L, 1L], sets.Test.Labels);
        AssertPixelsMatchLabels(sets.Train, sets.ClassNames!);
    }

    [Fact]
    public void A_layout_without_test_holds_the_test_share_out_of_train()
    {
        Images("train/ant", 10);
        Images("train/bee", 10);
        Images("val/ant", 2);
        Images("val/bee", 2);

        var sets = Load();

        Assert.Equal(4, sets.Test.Count);
        Assert.Equal(20, sets.Train.Count);
        Assert.Equal(4, sets.Split(0.15, seed: 0).Validation.Count);
    }

    [Fact]
    public void Corrupt_empty_unsupported_and_stray_files_are_skipped_with_their_reasons()
    {
        Images("ant", 3);
        Images("bee", 3);
        data.Write("ant/empty.jpg", []);
        data.Write("bee/notes.txt", "not an image"u8.ToArray());
        var jpeg = ImageFiles.Encode(SKEncodedImageFormat.Jpeg, 64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        data.Write("bee/cut.jpg", jpeg[..(jpeg.Length / 2)]); // cut inside the scan data
        data.Write("README.md", "# photos"u8.ToArray());
        data.Write("ant/.DS_Store", [1, 2, 3]); // hidden: ignored, not listed

        var sets = Load();

        Assert.Equal(6, sets.Train.Count + sets.Test.Count);
        Assert.Equal(
        [
            new SkippedFile("README.md", "it lies outside every class folder"),
            new SkippedFile("ant/empty.jpg", "the file is empty"),
            new SkippedFile("bee/cut.jpg", "the image data is cut short (a truncated file)"),
            new SkippedFile("bee/notes.txt", "it is not a JPEG, PNG, BMP, GIF or WebP image"),
        ], sets.Skipped);
    }

    [Fact]
    public void A_second_load_reads_the_cache_and_decodes_nothing()
    {
        Images("ant", 4);
        Images("bee", 4);
        var first = Load();
        var written = File.GetLastWriteTimeUtc(CacheFile);
        Assert.Equal(8, decoded);

        decoded = 0;
        var second = Load();

        Assert.Equal(0, decoded);
        Assert.Equal(written, File.GetLastWriteTimeUtc(CacheFile));
        Assert.Equal(first.Train.Images, second.Train.Images);
        Assert.Equal(first.Test.Labels, second.Test.Labels);
        Assert.Equal(first.Preprocessing, second.Preprocessing);
    }

    public static TheoryData<string> Changes => ["changed", "added", "removed"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_changed_added_or_removed_file_invalidates_the_cache(string change)
    {
        var files = Images("ant", 4);
        Images("bee", 4);
        var before = Load();
        decoded = 0;

        switch (change)
        {
            case "changed":
                data.Write("ant/0.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 24, 24, SKColors.White));
                File.SetLastWriteTimeUtc(files[0], new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
                break;
            case "added":
                Image("bee/extra.png", Colours["bee"]);
                break;
            default:
                File.Delete(files[1]);
                break;
        }

        var after = Load();

        Assert.Equal(change switch { "added" => 9, "removed" => 7, _ => 8 }, decoded);
        Assert.Equal(change switch { "added" => 9, "removed" => 7, _ => 8 }, after.Train.Count + after.Test.Count);
        if (change == "changed") Assert.NotEqual(before.Train.Images.Concat(before.Test.Images), after.Train.Images.Concat(after.Test.Images));
    }

    [Fact]
    public void A_damaged_cache_is_noticed_and_replaced()
    {
        Images("ant", 3);
        Images("bee", 3);
        var first = Load();
        var bytes = File.ReadAllBytes(CacheFile);
        File.WriteAllBytes(CacheFile, bytes[..(bytes.Length - 10)]);
        var notices = new List<string>();
        decoded = 0;

        var second = Load(notices: notices);

        Assert.Equal(6, decoded);
        Assert.Contains("ignored the damaged image cache", Assert.Single(notices), StringComparison.Ordinal);
        Assert.Equal(first.Train.Images, second.Train.Images);
        Assert.Equal(bytes.Length, new FileInfo(CacheFile).Length);
    }

    [Fact]
    public void The_image_size_setting_overrides_the_chosen_size_and_reuses_a_cache_of_that_size()
    {
        Images("ant", 3);
        Images("bee", 3);

        Assert.Equal(24, Load().Train.Shape.Height); // every image is 24 pixels
        decoded = 0;
        var same = Load(size: 24);
        var larger = Load(size: 40);

        Assert.Equal(24, same.Train.Shape.Height);
        Assert.Equal(new ImageShape(3, 40, 40), larger.Train.Shape);
        Assert.Equal(6, decoded); // only the 40-pixel load decoded
    }

    [Fact]
    public void A_models_preprocessing_and_classes_are_repeated_on_another_folder()
    {
        Images("test/bee", 2, (_, _) => SKColors.Gray);
        Images("test/cat", 1, (_, _) => SKColors.Gray);

        var sets = DatasetCatalog.Load(Root, new DatasetLoadOptions
        {
            CacheDirectory = cache.Directory,
            Preprocessing = new ImagePreprocessing { ImageSize = 12, Channels = 3 },
            ClassNames = ["ant", "bee", "cat", "dog"],
        });

        Assert.Equal(new ImageShape(3, 12, 12), sets.Test.Shape); // gray images widened to the model's three channels
        Assert.Equal([1L, 1L, 2L], sets.Test.Labels);             // labelled by the model's class order
        Assert.Equal(4, sets.Test.ClassCount);
    }

    [Fact]
    public void A_folder_class_the_model_does_not_know_is_one_sentence()
    {
        Images("bee", 1);
        Images("emu", 1);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(Root, new DatasetLoadOptions { CacheDirectory = cache.Directory, ClassNames = ["ant", "bee"] }));

        AssertOneSentence(e, "its class folder 'emu' is not one of the model's 2 classes (ant, bee)");
    }

    [Fact]
    public void One_class_folder_is_one_sentence()
    {
        Images("ant", 3);

        AssertOneSentence(Assert.Throws<DataFormatException>(() => Load()),
            "it holds only one class folder (ant), and a classifier needs at least two (one subfolder of images per class)");
        Assert.Equal(0, decoded); // refused before decoding anything
    }

    [Fact]
    public void A_test_class_missing_from_train_is_one_sentence_naming_its_folder()
    {
        Images("train/ant", 2);
        Images("train/bee", 2);
        Images("test/cat", 2);

        var e = Assert.Throws<DataFormatException>(() => Load());

        Assert.Equal(Path.Combine(Root, "test", "cat"), e.Path);
        AssertOneSentence(e, "class 'cat' has no folder in train/, so the model could never learn it");
    }

    [Fact]
    public void Split_folders_beside_class_folders_is_one_sentence()
    {
        Images("train/ant", 2);
        Images("bee", 2);

        AssertOneSentence(Assert.Throws<DataFormatException>(() => Load()),
            "it mixes split folders (train/) with other folders (bee/); put every class folder inside train/, val/ or test/");
    }

    [Fact]
    public void A_class_whose_every_file_is_unusable_is_one_sentence_with_the_first_reason()
    {
        Images("ant", 3);
        data.Write("bee/a.txt", "text"u8.ToArray());
        data.Write("bee/b.png", []);

        var e = Assert.Throws<DataFormatException>(() => Load());

        Assert.Equal(Path.Combine(Root, "bee"), e.Path);
        AssertOneSentence(e, "class 'bee' has no usable image: all 2 of its files were skipped (the first, bee/a.txt: it is not a JPEG, PNG, BMP, GIF or WebP image)");
    }

    [Fact]
    public void A_folder_without_a_usable_image_is_one_sentence()
    {
        data.Write("ant/a.txt", "text"u8.ToArray());
        data.Write("bee/b.jpg", []);

        AssertOneSentence(Assert.Throws<DataFormatException>(() => Load()),
            "it holds no usable image: all 2 files were skipped (the first, ant/a.txt: it is not a JPEG, PNG, BMP, GIF or WebP image)");
    }

    [Fact]
    public void Classes_of_one_image_each_leave_nothing_to_test_and_say_so()
    {
        Images("ant", 1);
        Images("bee", 1);

        AssertOneSentence(Assert.Throws<DataFormatException>(() => Load()),
            "it has too few images to hold some out for testing; give at least one class two usable images");
    }

    [Fact]
    public void Classes_of_two_images_leave_nothing_for_validation_and_the_run_says_so()
    {
        Images("ant", 2);
        Images("bee", 2);
        var sets = Load(); // one test image per class, one left to train on

        var e = Assert.Throws<DataFormatException>(() => sets.Split(0.15, seed: 0));

        Assert.Equal("it has too few images to hold some out for validation; give at least one class three usable images (or add a val/ folder)", e.Problem);
    }

    [Fact]
    public void A_folder_without_subfolders_still_names_every_format()
    {
        data.Write("photo.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 8, 8, SKColors.Red));

        var e = Assert.Throws<DataFormatException>(() => Load());

        Assert.Contains("nor class folders of images (one subfolder per class)", e.Message, StringComparison.Ordinal);
    }

    // Writes count solid images of the class's colour (or colour(i, x)), 24×24 PNG; returns their paths.
    private List<string> Images(string folder, int count, Func<int, int, SKColor>? colour = null)
    {
        var name = Path.GetFileName(folder);
        return [.. Enumerable.Range(0, count).Select(i => data.Write($"{folder}/{i}.png",
            ImageFiles.Encode(SKEncodedImageFormat.Png, 24, 24, (x, _) => colour?.Invoke(i, x) ?? Colours[name])))];
    }

    private string Image(string relative, SKColor colour) => data.Write(relative, ImageFiles.Solid(SKEncodedImageFormat.Png, 24, 24, colour));

    private TrainTestSets Load(int? size = null, List<string>? notices = null) =>
        DatasetCatalog.Load(Root, new DatasetLoadOptions
        {
            CacheDirectory = cache.Directory,
            ImageSize = size,
            Progress = p => decoded = Math.Max(decoded, p.Done),
            Notice = notices is null ? null : notices.Add,
        });

    // Every image's centre pixel is its class's colour.
    private static void AssertPixelsMatchLabels(ImageDataset set, IReadOnlyList<string> classes)
    {
        var shape = set.Shape;
        var centre = shape.Height / 2 * shape.Width + shape.Width / 2;
        for (var n = 0; n < set.Count; n++)
        {
            var image = set.Image(n);
            var expected = Colours[classes[(int)set.Labels[n]]];
            Assert.InRange(image[centre], expected.Red - 20, expected.Red + 20);
            Assert.InRange(image[2 * shape.PlaneSize + centre], expected.Blue - 20, expected.Blue + 20);
        }
    }

    private void AssertOneSentence(DataFormatException e, string problem)
    {
        Assert.Equal(problem, e.Problem);
        Assert.StartsWith($"Cannot read '{Root}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
