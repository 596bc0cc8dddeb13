using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

// A resumed run restarts its loaders at the batch its checkpoint had consumed: from there on it
// must see exactly the images, labels and augmentation draws an uninterrupted loader would.
public sealed class BatchLoaderStartBatchTests
{
    private const int BatchSize = 6;
    private const int Total = 8;             // 20 examples / 6 with drop-last = 3 batches per epoch: about three epochs
    private static readonly ImageShape Shape = new(1, 8, 8);
    private static readonly Normalization Identity = new([0f], [1f]);

    [Theory]
    [InlineData(1)]  // inside the first epoch
    [InlineData(2)]  // the last batch of epoch 0, then across the boundary
    [InlineData(4)]  // starts inside epoch 1
    [InlineData(6)]  // starts exactly at an epoch boundary
    public void A_loader_started_at_batch_k_delivers_what_an_uninterrupted_one_delivers_from_k(int start)
    {
        var data = Patterned(20);
        var uninterrupted = Deliver(data, startBatch: 0);

        var resumed = Deliver(data, startBatch: start);

        Assert.Equal(Total - start, resumed.Count);
        for (var i = 0; i < resumed.Count; i++)
        {
            var expected = uninterrupted[start + i];
            Assert.Equal((expected.Epoch, expected.Index), (resumed[i].Epoch, resumed[i].Index));
            Assert.Equal(expected.Labels, resumed[i].Labels);
            Assert.Equal(expected.Pixels, resumed[i].Pixels);
        }
    }

    [Fact]
    public void Augmentation_actually_changes_the_batches_compared()
    {
        // Guards the test above: were augmentation ignored, it would compare plain batches only.
        var data = Patterned(20);
        using var loader = new BatchLoader(data, All(20), Identity, Options(0));
        using var plain = new BatchLoader(data, All(20), Identity, Options(0));

        Assert.NotEqual(plain.Next().Images.ToArray<float>(), loader.Next(Values(0)).Images.ToArray<float>());
    }

    private static List<(int Epoch, int Index, long[] Labels, float[] Pixels)> Deliver(ImageDataset data, long startBatch)
    {
        using var loader = new BatchLoader(data, All(20), Identity, Options(startBatch));
        var delivered = new List<(int, int, long[], float[])>();
        for (var n = startBatch; n < Total; n++)
        {
            // Values vary by batch number, as the trainer's per-step samples do.
            var batch = loader.Next(Values(n));
            delivered.Add((batch.Epoch, batch.Index, batch.Labels.ToArray<long>(), batch.Images.ToArray<float>()));
        }

        return delivered;
    }

    private static BatchLoaderOptions Options(long startBatch) =>
        BatchLoaderOptions.Training(BatchSize, seed: 11) with { StartBatch = startBatch };

    private static AugmentationValues Values(long batch)
    {
        var values = new AugmentationValues(BatchSize);
        for (var b = 0; b < BatchSize; b++)
        {
            values.CutoutLength[b] = (int)((b + batch) % 3);
            values.CutoutHoles[b] = 1;
            values.ShiftPixels[b] = (int)((b + 2 * batch) % 3);
            values.FlipProbability[b] = 0.5f;
            values.Brightness[b] = 0.1f * ((b + batch) % 4);
            values.Contrast[b] = 0.2f;
        }

        return values;
    }

    // Pixels vary within and across images, so shifts, flips and cutouts all show.
    private static ImageDataset Patterned(int count) =>
        new("patterned", Enumerable.Range(0, count * Shape.Size).Select(i => (byte)((i * 37 + i / Shape.Size * 11) % 256)).ToArray(),
            Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray(), Shape, 3);

    private static int[] All(int count) => Enumerable.Range(0, count).ToArray();
}
