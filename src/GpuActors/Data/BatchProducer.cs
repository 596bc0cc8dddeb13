using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The background half of <see cref="BatchLoader"/>: shuffles each epoch, gathers the uint8 rows
/// of the next batches and converts them to [0, 1] floats in a fixed ring of host slots. Slots
/// circulate through two channels (free → ready → free), so the ring bounds both the work done
/// ahead and the memory used; nothing is allocated per batch. It never touches libtorch.
/// </summary>
internal sealed class BatchProducer : IDisposable
{
    private readonly ImageDataset data;
    private readonly int[] indices;
    private readonly int[] order;
    private readonly BatchLoaderOptions options;
    private readonly Channel<HostBatch> free;
    private readonly Channel<HostBatch> ready;
    private readonly CancellationTokenSource stop = new();
    private readonly Task task;
    private Exception? failure;

    public BatchProducer(ImageDataset data, IReadOnlyList<int> indices, BatchLoaderOptions options, IReadOnlyList<HostBatch> slots)
    {
        this.data = data;
        this.options = options;
        this.indices = [.. indices];
        order = [.. indices];
        var channelOptions = new UnboundedChannelOptions { SingleReader = true, SingleWriter = true };
        // Unbounded in type only: at most slots.Count items ever exist.
        free = Channel.CreateUnbounded<HostBatch>(channelOptions);
        ready = Channel.CreateUnbounded<HostBatch>(channelOptions);
        foreach (var slot in slots)
        {
            free.Writer.TryWrite(slot);
        }

        task = Task.Run(() => ProduceAsync(stop.Token));
    }

    /// <summary>Batches in one epoch.</summary>
    public static int BatchesPerEpoch(int examples, int batchSize, bool dropLast) =>
        dropLast ? examples / batchSize : (examples + batchSize - 1) / batchSize;

    /// <summary>The next prepared slot, waiting for it if needed; null once every epoch has been produced.</summary>
    public HostBatch? Take()
    {
        if (!ready.Reader.TryRead(out var slot))
        {
            // The consumer is the model's actor thread: blocking it is the point, the step needs the data.
            while (ready.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                if (ready.Reader.TryRead(out slot)) break;
            }
        }

        if (slot is null && failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return slot;
    }

    /// <summary>Hands a drained slot back for refilling.</summary>
    public void Return(HostBatch slot) => free.Writer.TryWrite(slot);

    public void Dispose()
    {
        stop.Cancel();
        free.Writer.TryComplete();
        task.GetAwaiter().GetResult();
        stop.Dispose();
    }

    private async Task ProduceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var batches = BatchesPerEpoch(order.Length, options.BatchSize, options.DropLast);
            var startEpoch = (int)(options.StartBatch / batches);
            for (var epoch = startEpoch; options.Epochs is not { } epochs || epoch < epochs; epoch++)
            {
                if (options.Shuffle)
                {
                    // Each epoch's order depends on (seed, epoch) alone, so a loader started at
                    // any batch (a resumed run) sees exactly the order an uninterrupted one saw.
                    indices.CopyTo(order, 0);
                    new Random(Seeds.Mix(options.Seed, epoch)).Shuffle(order);
                }

                var first = epoch == startEpoch ? (int)(options.StartBatch % batches) : 0;
                for (var k = first; k < batches; k++)
                {
                    var slot = await free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var start = k * options.BatchSize;
                    Fill(slot, order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)));
                    (slot.Epoch, slot.Index, slot.EndOfEpoch) = (epoch, k, k == batches - 1);
                    ready.Writer.TryWrite(slot);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: nobody waits for more batches.
        }
        catch (ChannelClosedException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed while waiting for a free slot.
        }
#pragma warning disable CA1031 // the one hand-over point: the consumer thread rethrows it from Take
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            ready.Writer.TryComplete();
        }
    }

    // Gathers the rows of `indices` as [0, 1] floats: (B, C, H, W) pixels and (B) labels.
    private void Fill(HostBatch slot, ReadOnlySpan<int> indices)
    {
        var size = data.Shape.Size;
        for (var i = 0; i < indices.Length; i++)
        {
            PixelConversion.ToUnit(data.Image(indices[i]), slot.Images.AsSpan(i * size, size));
            slot.Labels[i] = data.Labels[indices[i]];
        }

        slot.Count = indices.Length;
    }
}
