using HyperSwarm.GpuActors.Data;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class BatchLoaderTests
{
    private static readonly ImageShape Shape = new(1, 4, 4);

    // Identity normalisation on the [0, 1] scale: loaded values are pixel / 255.
    private static readonly Normalization Identity = new([0f], [1f]);

    [Fact]
    public void Batches_are_float_images_and_int64_labels_of_the_same_examples()
    {
        var data = Numbered(10);
        using var loader = new BatchLoader(data, All(10), Identity, BatchLoaderOptions.Training(batchSize: 4, seed: 1));

        var batch = loader.Next();

        Assert.Equal([4L, 1, 4, 4], batch.Images.Shape);
        Assert.Equal(DType.Float32, batch.Images.DType);
        Assert.Equal([4L], batch.Labels.Shape);
        Assert.Equal(DType.Int64, batch.Labels.DType);
        var pixels = batch.Images.ToArray<float>();
        var labels = batch.Labels.ToArray<long>();
        for (var b = 0; b < 4; b++)
        {
            // Example i has every pixel = i and label i % 3.
            var example = (int)Math.Round(pixels[b * Shape.Size] * 255);
            Assert.All(pixels.AsSpan(b * Shape.Size, Shape.Size).ToArray(), p => Assert.Equal(example / 255f, p, 1e-6f));
            Assert.Equal(example % 3, labels[b]);
        }
    }

    [Fact]
    public void Each_training_epoch_visits_every_example_once_in_a_new_order()
    {
        var data = Numbered(12);
        using var loader = new BatchLoader(data, All(12), Identity, BatchLoaderOptions.Training(batchSize: 4, seed: 2));

        var first = Epoch(loader);
        var second = Epoch(loader);

        Assert.Equal(Enumerable.Range(0, 12), first.Order());
        Assert.Equal(Enumerable.Range(0, 12), second.Order());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Same_seed_gives_the_same_batches()
    {
        var data = Numbered(20);
        using var a = new BatchLoader(data, All(20), Identity, BatchLoaderOptions.Training(batchSize: 5, seed: 3));
        using var b = new BatchLoader(data, All(20), Identity, BatchLoaderOptions.Training(batchSize: 5, seed: 3));
        var values = new AugmentationValues(5).Fill(cutoutLength: 2, cutoutHoles: 1, shiftPixels: 1, flipProbability: 0.5f, brightness: 0.2f);

        for (var step = 0; step < 10; step++)
        {
            Assert.Equal(a.Next(values).Images.ToArray<float>(), b.Next(values).Images.ToArray<float>());
        }
    }

    [Fact]
    public void Drop_last_skips_the_partial_batch_and_marks_epoch_ends()
    {
        var data = Numbered(10);
        using var loader = new BatchLoader(data, All(10), Identity, BatchLoaderOptions.Training(batchSize: 4) with { Epochs = 2 });

        var batches = Drain(loader);

        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Equal([(0, 0, false), (0, 1, true), (1, 0, false), (1, 1, true)], batches.Select(b => (b.Epoch, b.Index, b.EndOfEpoch)));
        Assert.All(batches, b => Assert.Equal(4, b.Count));
    }

    [Fact]
    public void Without_drop_last_the_last_batch_is_smaller()
    {
        var data = Numbered(10);
        using var loader = new BatchLoader(data, All(10), Identity, BatchLoaderOptions.Training(batchSize: 4) with { DropLast = false, Epochs = 2 });

        var batches = Drain(loader);

        Assert.Equal([4, 4, 2, 4, 4, 2], batches.Select(b => b.Count));
        Assert.True(batches[2].EndOfEpoch);
    }

    [Fact]
    public void Evaluation_reads_once_in_order_and_keeps_the_partial_batch()
    {
        var data = Numbered(10);
        using var loader = new BatchLoader(data, [9, 1, 5, 3, 7], Identity, BatchLoaderOptions.Evaluation(batchSize: 2));

        var seen = new List<int>();
        while (loader.TryNext(null, out var batch))
        {
            seen.AddRange(Examples(batch));
        }

        Assert.Equal([9, 1, 5, 3, 7], seen);
        Assert.Throws<InvalidOperationException>(() => loader.Next());
    }

    [Fact]
    public void Evaluation_refuses_augmentation_values()
    {
        using var loader = new BatchLoader(Numbered(4), All(4), Identity, BatchLoaderOptions.Evaluation(batchSize: 2));

        Assert.Throws<InvalidOperationException>(() => loader.Next(new AugmentationValues(2)));
    }

    [Fact]
    public void Augmentation_values_change_the_batch_the_consumer_asked_for()
    {
        var data = Ramped(8);
        using var plain = new BatchLoader(data, All(8), Identity, BatchLoaderOptions.Training(batchSize: 8, seed: 4));
        using var flipped = new BatchLoader(data, All(8), Identity, BatchLoaderOptions.Training(batchSize: 8, seed: 4));

        using var scope = TensorScope.Begin();
        var expected = plain.Next().Images.Flip(3).ToArray<float>(); // (B, C, H, W) mirrored along W
        var actual = flipped.Next(new AugmentationValues(8).Fill(flipProbability: 1f)).Images.ToArray<float>();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Batches_are_normalised_per_channel()
    {
        var data = Numbered(4);
        using var loader = new BatchLoader(data, All(4), new Normalization([1 / 255f], [2 / 255f]), BatchLoaderOptions.Evaluation(batchSize: 4));

        var pixels = loader.Next().Images.ToArray<float>();

        Assert.Equal(-0.5f, pixels[0], 1e-5f);            // example 0: (0 − 1) / 2
        Assert.Equal(1f, pixels[3 * Shape.Size], 1e-5f);  // example 3: (3 − 1) / 2
    }

    [Fact]
    public void After_warm_up_batches_allocate_no_tensors_and_no_host_buffers()
    {
        var data = Numbered(30);
        var values = new AugmentationValues(8).Fill(cutoutLength: 2, cutoutHoles: 1, shiftPixels: 1, flipProbability: 0.5f, brightness: 0.1f, contrast: 0.1f);
        var before = Torch.Torch.LiveTensors;
        using (var loader = new BatchLoader(data, All(30), Identity, BatchLoaderOptions.Training(batchSize: 8) with { DropLast = false }))
        {
            Epoch(loader, values); // warm-up: creates the full and the tail tensors
            var tensorsAfterWarmUp = Torch.Torch.LiveTensors;
            var buffers = loader.HostBufferAllocations;

            for (var step = 0; step < 40; step++)
            {
                using var scope = TensorScope.Begin();
                loader.Next(values);
            }

            Assert.Equal(tensorsAfterWarmUp, Torch.Torch.LiveTensors);
            Assert.Equal(4, tensorsAfterWarmUp - before);
            Assert.Equal(buffers, loader.HostBufferAllocations);
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }

    [Fact]
    public void Steady_state_batches_allocate_almost_no_managed_memory()
    {
        var shape = new ImageShape(1, 28, 28);
        var data = new ImageDataset("noise", new byte[64 * shape.Size], new long[64], shape, 1);
        var values = new AugmentationValues(16).Fill(cutoutLength: 4, cutoutHoles: 2, shiftPixels: 2, flipProbability: 0.5f, brightness: 0.2f, contrast: 0.2f);
        using var loader = new BatchLoader(data, All(64), Identity, BatchLoaderOptions.Training(batchSize: 16));
        for (var step = 0; step < 20; step++)
        {
            loader.Next(values);
        }

        // The process-wide count also sees the test runner's and the runtime's own threads (result
        // messages, tiered re-JIT), which allocate now and then; a loader that allocated per batch
        // would show in every window, so the quietest of three windows is the loader's.
        var threadBytes = new List<long>();
        var processBytes = new List<long>();
        for (var window = 0; window < 3; window++)
        {
            var thread = GC.GetAllocatedBytesForCurrentThread();
            var process = GC.GetTotalAllocatedBytes(precise: true);
            for (var step = 0; step < 100; step++)
            {
                loader.Next(values);
            }

            threadBytes.Add(GC.GetAllocatedBytesForCurrentThread() - thread);
            processBytes.Add(GC.GetTotalAllocatedBytes(precise: true) - process);
        }

        var batchBytes = 16 * shape.Size * sizeof(float); // 50 KB: what one fresh buffer per batch would cost
        Assert.All(threadBytes, bytes => Assert.InRange(bytes, 0, 100 * 256)); // this thread: every window
        Assert.InRange(processBytes.Min(), 0, batchBytes);
    }

    [Fact]
    public void Batch_tensors_outlive_the_scope_the_call_ran_in()
    {
        using var loader = new BatchLoader(Numbered(8), All(8), Identity, BatchLoaderOptions.Training(batchSize: 4));
        Batch batch;

        using (TensorScope.Begin())
        {
            batch = loader.Next();
        }

        Assert.False(batch.Images.IsDisposed);
        Assert.False(loader.Next().Labels.IsDisposed);
    }

    [Fact]
    public void Too_few_examples_for_one_batch_are_refused() =>
        Assert.Throws<ArgumentException>(() => new BatchLoader(Numbered(3), All(3), Identity, BatchLoaderOptions.Training(batchSize: 4)));

    [Fact]
    public void Fashion_mnist_training_split_loads_normalised_batches()
    {
        var sets = DatasetCatalog.Load(TestFiles.FashionMnistDir);
        var split = DataSplit.Carve(sets.Train.Count, seed: 0);
        var normalization = Normalization.Measure(sets.Train, split.Train);
        using var loader = new BatchLoader(sets.Train, split.Train, normalization, BatchLoaderOptions.Training(batchSize: 128, seed: 0));

        var batch = loader.Next(new AugmentationValues(128).Fill(cutoutLength: 4, cutoutHoles: 1, shiftPixels: 2, flipProbability: 0.5f));

        Assert.Equal([128L, 1, 28, 28], batch.Images.Shape);
        Assert.Equal(398, loader.BatchesPerEpoch); // 51000 / 128
        Assert.InRange(batch.Images.ToArray<float>().Average(), -0.3, 0.3);
        Assert.All(batch.Labels.ToArray<long>(), y => Assert.InRange(y, 0, 9));
    }

    // Example i: every pixel = i, label i % 3.
    private static ImageDataset Numbered(int count) =>
        new("numbered", Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)i, Shape.Size)).ToArray(),
            Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray(), Shape, 3);

    // Pixels differ within each image, so a flip shows.
    private static ImageDataset Ramped(int count) =>
        new("ramped", Enumerable.Range(0, count * Shape.Size).Select(i => (byte)i).ToArray(), new long[count], Shape, 1);

    private static int[] All(int count) => Enumerable.Range(0, count).ToArray();

    private static IEnumerable<int> Examples(Batch batch)
    {
        var pixels = batch.Images.ToArray<float>();
        return Enumerable.Range(0, batch.Count).Select(b => (int)Math.Round(pixels[b * Shape.Size] * 255));
    }

    private static List<int> Epoch(BatchLoader loader, AugmentationValues? values = null)
    {
        var seen = new List<int>();
        Batch batch;
        do
        {
            batch = loader.Next(values);
            seen.AddRange(Examples(batch));
        }
        while (!batch.EndOfEpoch);

        return seen;
    }

    private static List<Batch> Drain(BatchLoader loader)
    {
        var batches = new List<Batch>();
        while (loader.TryNext(null, out var batch))
        {
            batches.Add(batch);
        }

        return batches;
    }
}
