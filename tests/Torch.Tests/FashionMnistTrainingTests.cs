using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.Torch.Tests;

/// <summary>End to end: real Fashion-MNIST (Debian's dataset-fashion-mnist) trained through the binding.</summary>
public sealed class FashionMnistTrainingTests
{
    private const int Batch = 64;

    [Fact]
    public void A_two_layer_conv_net_with_plain_SGD_reaches_85_percent_in_one_epoch()
    {
        Torch.ManualSeed(0);
        var dir = IdxFile.FashionMnistDir;
        var (trainX, trainXDims) = IdxFile.Read(Path.Combine(dir, "train-images-idx3-ubyte.gz"));
        var (trainY, _) = IdxFile.Read(Path.Combine(dir, "train-labels-idx1-ubyte.gz"));
        var (testX, testXDims) = IdxFile.Read(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
        var (testY, _) = IdxFile.Read(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal([60000, 28, 28], trainXDims);
        Assert.Equal([10000, 28, 28], testXDims);

        var before = Torch.LiveTensors;
        using (var net = new SmallConvNet())
        {
            var order = Enumerable.Range(0, 60000).ToArray();
            new Random(0).Shuffle(order);
            for (var start = 0; start + Batch <= order.Length; start += Batch)
            {
                using var scope = TensorScope.Begin();
                var (x, y) = Batch_(trainX, trainY, order.AsSpan(start, Batch));
                net.TrainStep(x, y, lr: 0.1);
            }

            var correct = 0L;
            using (NoGrad.Enter())
            {
                var all = Enumerable.Range(0, 10000).ToArray();
                for (var start = 0; start < all.Length; start += 500)
                {
                    using var scope = TensorScope.Begin();
                    var (x, y) = Batch_(testX, testY, all.AsSpan(start, 500));
                    correct += net.Forward(x).ArgMax(1).Eq(y).To(DType.Int64).Sum().ToInt64();
                }
            }

            var accuracy = correct / 10000.0;
            Assert.True(accuracy >= 0.85, $"test accuracy {accuracy:P2} after one epoch");
        }

        Assert.Equal(before, Torch.LiveTensors);
    }

    // Normalised images (B, 1, 28, 28) and int64 labels (B,).
    private static (Tensor X, Tensor Y) Batch_(byte[] images, byte[] labels, ReadOnlySpan<int> idx)
    {
        const float mean = 0.2860f, std = 0.3530f; // Fashion-MNIST training-set statistics
        var x = new float[idx.Length * 784];
        var y = new long[idx.Length];
        for (var i = 0; i < idx.Length; i++)
        {
            var src = images.AsSpan(idx[i] * 784, 784);
            for (var p = 0; p < 784; p++) x[i * 784 + p] = (src[p] / 255f - mean) / std;
            y[i] = labels[idx[i]];
        }

        return (Tensor.FromArray<float>(x, [idx.Length, 1, 28, 28]), Tensor.FromArray<long>(y, [idx.Length]));
    }
}
