namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Decodes every file of an image folder once (<see cref="ImageDecoder"/>, on all cores) or
/// reads the result from <see cref="ImageFolderCache"/>: a header pass finds unusable files
/// and the shorter sides the input size is chosen from, then a decode pass reports its
/// progress. Unusable files are skipped, each with its reason; none usable at all is an error.
/// </summary>
internal static class ImageFolderReader
{
    private const int ReportsPerPass = 200;

    /// <summary>The decoded folder at side <paramref name="size"/> (null: chosen from the images).</summary>
    public static DecodedImageFolder Read(ImageFolderLayout layout, int? size, DatasetLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        var path = ImageFolderCache.PathFor(options.CacheDirectory, layout.Root, size);
        var key = ImageFolderCache.Key(layout, size);
        lock (ImageFolderCache.LockFor(path))
        {
            var cached = ImageFolderCache.TryRead(path, key, options.Notice);
            if (cached is null && size is { } side)
            {
                // A run that chose its size from the data may have cached this very size already.
                cached = ImageFolderCache.TryRead(ImageFolderCache.PathFor(options.CacheDirectory, layout.Root, null), ImageFolderCache.Key(layout, null), options.Notice, side);
            }

            if (cached is not null) return cached;
            var decoded = Decode(layout, size, options.Progress);
            ImageFolderCache.Write(path, key, decoded, options.Notice);
            return decoded;
        }
    }

    private static DecodedImageFolder Decode(ImageFolderLayout layout, int? requestedSize, Action<ImageDecodeProgress>? progress)
    {
        var files = layout.Files;
        var problems = new string?[files.Count];
        var sides = new int[files.Count];
        Parallel.For(0, files.Count, Parallelism(), i =>
            (sides[i], problems[i]) = ImageDecoder.Probe(Path.Combine(layout.Root, files[i].RelativePath)));

        var usable = Enumerable.Range(0, files.Count).Where(i => problems[i] is null).ToArray();
        if (usable.Length == 0) throw NoImages(layout, problems);
        var size = requestedSize ?? ImageSizeRule.Choose([.. usable.Select(i => sides[i])]);
        var imageBytes = 3 * size * size;
        if ((long)usable.Length * imageBytes > Array.MaxLength)
        {
            throw new DataFormatException(layout.Root,
                $"its {usable.Length} images at {size}x{size} need {(double)usable.Length * imageBytes / 1e9:F1} GB, more than one array holds; set data.image_size smaller");
        }

        // (N, 3, S, S) first: whether one channel will do is known only once every image is seen.
        var rgb = GC.AllocateUninitializedArray<byte>(usable.Length * imageBytes);
        var gray = new bool[usable.Length];
        var reporter = new ProgressReporter(progress, usable.Length);
        Parallel.For(0, usable.Length, Parallelism(), k =>
        {
            var i = usable[k];
            problems[i] = ImageDecoder.Decode(Path.Combine(layout.Root, files[i].RelativePath), size, rgb.AsSpan(k * imageBytes, imageBytes), out gray[k]);
            reporter.OneMore();
        });

        var kept = Enumerable.Range(0, usable.Length).Where(k => problems[usable[k]] is null).ToArray();
        if (kept.Length == 0) throw NoImages(layout, problems);
        var channels = kept.All(k => gray[k]) ? 1 : 3;
        var shape = new ImageShape(channels, size, size);
        var pixels = GC.AllocateUninitializedArray<byte>(kept.Length * shape.Size);
        for (var n = 0; n < kept.Length; n++)
        {
            // Gray images have R = G = B: the first plane is all of it.
            rgb.AsSpan(kept[n] * imageBytes, shape.Size).CopyTo(pixels.AsSpan(n * shape.Size));
        }

        return new DecodedImageFolder
        {
            Classes = layout.Classes,
            Shape = shape,
            Pixels = pixels,
            Images = [.. kept.Select(k => files[usable[k]]).Select(f => new DecodedImage(f.RelativePath, f.Label, f.Split))],
            Skipped = [.. Skipped(layout, problems)],
        };
    }

    private static IEnumerable<SkippedFile> Skipped(ImageFolderLayout layout, string?[] problems) =>
        layout.Strays
            .Concat(layout.Files.Select((f, i) => problems[i] is { } p ? new SkippedFile(f.RelativePath, p) : null).OfType<SkippedFile>())
            .OrderBy(s => s.Path, StringComparer.Ordinal);

    private static DataFormatException NoImages(ImageFolderLayout layout, string?[] problems)
    {
        var skipped = Skipped(layout, problems).ToList();
        return new DataFormatException(layout.Root, skipped.Count == 0
            ? "its class folders hold no files"
            : $"it holds no usable image: all {skipped.Count} files were skipped (the first, {skipped[0]})");
    }

    private static ParallelOptions Parallelism() => new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    // Reports about every 0.5 % and at the end, one call at a time, whichever thread finished the image.
    private sealed class ProgressReporter(Action<ImageDecodeProgress>? progress, int total)
    {
        private readonly int every = Math.Max(1, total / ReportsPerPass);
        private readonly Lock gate = new();
        private int done;

        public void OneMore()
        {
            if (progress is null) return;
            lock (gate)
            {
                done++;
                if (done % every == 0 || done == total) progress(new ImageDecodeProgress(done, total));
            }
        }
    }
}
