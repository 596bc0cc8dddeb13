using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_conv2d(TensorHandle x, TensorHandle w, TensorHandle b, long* stride, long* padding, long* dilation, long groups, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_linear(TensorHandle x, TensorHandle w, TensorHandle b, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_matmul(TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_max_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, int ceilMode, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_avg_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_adaptive_avg_pool2d(TensorHandle x, long outH, long outW, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_dropout(TensorHandle x, double p, int train, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_relu_(TensorHandle x);
    [LibraryImport(Lib)] internal static partial int hs_elu(TensorHandle x, double alpha, double scale, double inputScale, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_softplus(TensorHandle x, double beta, double threshold, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_softmax(TensorHandle x, long dim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_log_softmax(TensorHandle x, long dim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_cross_entropy(TensorHandle logits, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, double labelSmoothing, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_nll_loss(TensorHandle logp, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_mse_loss(TensorHandle a, TensorHandle b, int reduction, out nint result);
}
