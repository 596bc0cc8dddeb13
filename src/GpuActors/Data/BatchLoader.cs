using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Feeds a trainer batches of a dataset split: a background producer shuffles and gathers the
/// next batches into a fixed ring of pinned host slots; <see cref="Next"/>, called on the
/// model's actor thread, augments with the values it is given, normalises into one reused
/// host buffer and refills two preallocated tensors with <see cref="Tensor.CopyFrom{T}"/>.
/// After the first epoch no call allocates a tensor or a host buffer.
/// </summary>
/// <remarks>
/// Augmentation runs consumer-side, just before the upload, because the STN draws fresh
/// per-example values every step and changes λ at every hyper step: the values that augment
/// example b must be the ones fed to the gates for b in the same step. Running it here makes
/// that exact with no lag and no cross-thread hand-over of values. A whole call costs about
/// 0.13 ms per Fashion-MNIST batch of 128 on our 2-core machine (0.4 ms when it is overloaded),
/// far below a training step. Shuffling, gathering and the uint8 → float conversion stay in
/// the background.
/// Libtorch is touched only inside <see cref="Next"/> and <see cref="Dispose"/>, on the caller's thread.
/// </remarks>
public sealed class BatchLoader : IDisposable
{
    private readonly ImageDataset data;
    private readonly Normalization normalization;
    private readonly BatchLoaderOptions options;
    private readonly Augmenter augmenter;
    private readonly float[] upload;
    private readonly BatchProducer producer;
    private readonly BatchTensors tensors;
    private bool disposed;

    /// <summary>Starts producing batches of <paramref name="indices"/> (e.g. <see cref="DataSplit.Train"/>) of <paramref name="data"/>.</summary>
    public BatchLoader(ImageDataset data, IReadOnlyList<int> indices, Normalization normalization, BatchLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Prefetch, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.StartBatch, nameof(options));
        if (normalization.Channels != data.Shape.Channels)
        {
            throw new ArgumentException($"The normalisation has {normalization.Channels} channels but {data.Name} has {data.Shape.Channels}.", nameof(normalization));
        }

        foreach (var i in indices)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)data.Count, nameof(indices));
        }

        BatchesPerEpoch = BatchProducer.BatchesPerEpoch(indices.Count, options.BatchSize, options.DropLast);
        if (BatchesPerEpoch == 0)
        {
            throw new ArgumentException($"{indices.Count} examples make no batch of {options.BatchSize}{(options.DropLast ? " with drop-last" : "")}.", nameof(indices));
        }

        this.data = data;
        this.normalization = normalization;
        this.options = options;
        augmenter = new Augmenter(data.Shape, options.Seed);
        var slots = new HostBatch[options.Prefetch + 1]; // the producer's ring plus the one being drained
        for (var s = 0; s < slots.Length; s++)
        {
            slots[s] = new HostBatch(options.BatchSize, data.Shape);
        }

        upload = GC.AllocateUninitializedArray<float>(options.BatchSize * data.Shape.Size, pinned: true);
        HostBufferAllocations = 2 * slots.Length + 1;
        tensors = new BatchTensors(data.Shape, options.Device);
        producer = new BatchProducer(data, indices, options, slots);
    }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The shape of one image.</summary>
    public ImageShape Shape => data.Shape;

    /// <summary>Host arrays this loader has allocated (all at construction); constant while it runs.</summary>
    public int HostBufferAllocations { get; }

    /// <summary>The next batch; throws once the loader has run dry (see <see cref="BatchLoaderOptions.Epochs"/>).</summary>
    /// <param name="augmentation">Per-example values for this batch, or null for none.</param>
    public Batch Next(AugmentationValues? augmentation = null) =>
        TryNext(augmentation, out var batch) ? batch : throw new InvalidOperationException($"The loader over {data.Name} has delivered all its epochs.");

    /// <summary>
    /// Fills the loader's tensors with the next batch, augmented with <paramref name="augmentation"/>
    /// (entry b drives example b); false once every epoch has been delivered. Call it from one thread.
    /// </summary>
    public bool TryNext(AugmentationValues? augmentation, out Batch batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (augmentation is not null && !options.Augment)
        {
            throw new InvalidOperationException("This loader is set up for evaluation and never augments; pass no augmentation values.");
        }

        var slot = producer.Take();
        if (slot is null)
        {
            batch = default;
            return false;
        }

        try
        {
            var n = slot.Count;
            var source = slot.Images.AsSpan(0, n * Shape.Size); // (B, C, H, W) in [0, 1]
            var images = upload.AsSpan(0, n * Shape.Size);      // (B, C, H, W)
            if (augmentation is null)
            {
                normalization.Apply(source, images, Shape);
            }
            else
            {
                // Reseeded per batch so the draws of batch (epoch, index) do not depend on where
                // the loader started: resumed runs augment exactly as uninterrupted ones.
                augmenter.Reseed(Seeds.Mix(unchecked(options.Seed * 7919 + 17), (long)slot.Epoch * BatchesPerEpoch + slot.Index));
                augmenter.Apply(source, images, n, augmentation);
                normalization.Apply(images, Shape);
            }

            var (x, y) = tensors.Fill(n, options.BatchSize, images, slot.Labels.AsSpan(0, n));
            batch = new Batch(x, y, n, slot.Epoch, slot.Index, slot.EndOfEpoch);
            return true;
        }
        finally
        {
            producer.Return(slot);
        }
    }

    /// <summary>Stops the producer and frees the tensors; call it on the thread that called <see cref="Next"/>.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        producer.Dispose();
        tensors.Dispose();
    }
}
