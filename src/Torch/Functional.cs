using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>
/// Functional neural-network ops: modules are C# classes that own parameter tensors and
/// call these (TORCH-BINDING.md §2.2). Shapes follow PyTorch: images are (B, C, H, W).
/// </summary>
public static unsafe partial class Functional
{
    /// <summary>2-D convolution. x: (B, Cin, H, W), w: (Cout, Cin/groups, kH, kW), b: (Cout) or null.</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? b = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(x, w, b, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>2-D convolution with separate (h, w) stride, padding and dilation.</summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? b, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        long* s = stackalloc long[] { stride.H, stride.W };
        long* p = stackalloc long[] { padding.H, padding.W };
        long* d = stackalloc long[] { dilation.H, dilation.W };
        return Tensor.Wrap(Native.hs_conv2d(x.Handle, w.Handle, Tensor.H(b), s, p, d, groups, out var r), r, "hs_conv2d");
    }

    /// <summary>
    /// Batch normalisation over (B, H, W) per channel. In training mode the running
    /// statistics, when given, are updated in place with <paramref name="momentum"/>.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = true, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        var rc = Native.hs_batch_norm(x.Handle, Tensor.H(weight), Tensor.H(bias), Tensor.H(runningMean), Tensor.H(runningVar),
            training ? 1 : 0, momentum, eps, out var r);
        return Tensor.Wrap(rc, r, "hs_batch_norm");
    }

    /// <summary>x·wᵀ + b. x: (…, in), w: (out, in), b: (out) or null.</summary>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? b = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        return Tensor.Wrap(Native.hs_linear(x.Handle, w.Handle, Tensor.H(b), out var r), r, "hs_linear");
    }

    /// <summary>Matrix product with broadcasting over batch dimensions.</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Tensor.Wrap(Native.hs_matmul(a.Handle, b.Handle, out var r), r, "hs_matmul");
    }

    /// <summary>Max pooling; stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int? stride = null, int padding = 0, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        var st = stride ?? kernel;
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { st, st };
        long* p = stackalloc long[] { padding, padding };
        return Tensor.Wrap(Native.hs_max_pool2d(x.Handle, k, s, p, ceilMode ? 1 : 0, out var r), r, "hs_max_pool2d");
    }

    /// <summary>Average pooling; stride defaults to the kernel size.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        var st = stride ?? kernel;
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { st, st };
        long* p = stackalloc long[] { padding, padding };
        var rc = Native.hs_avg_pool2d(x.Handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, out var r);
        return Tensor.Wrap(rc, r, "hs_avg_pool2d");
    }

    /// <summary>Average pooling to a fixed output size (1×1 = global average pooling).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, int outH, int outW)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Wrap(Native.hs_adaptive_avg_pool2d(x.Handle, outH, outW, out var r), r, "hs_adaptive_avg_pool2d");
    }

    /// <summary>Zeroes each element with probability p and scales the rest by 1/(1−p) when training.</summary>
    public static Tensor Dropout(Tensor x, double p, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Wrap(Native.hs_dropout(x.Handle, p, training ? 1 : 0, out var r), r, "hs_dropout");
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => NotNull(x).Relu();

    /// <summary>ELU: scale·x for x &gt; 0, scale·alpha·(exp(inputScale·x) − 1) otherwise.</summary>
    public static Tensor Elu(Tensor x, double alpha = 1, double scale = 1, double inputScale = 1) =>
        Tensor.Wrap(Native.hs_elu(NotNull(x).Handle, alpha, scale, inputScale, out var r), r, "hs_elu");

    /// <summary>(1/β)·log(1 + exp(β·x)), linear above <paramref name="threshold"/>.</summary>
    public static Tensor Softplus(Tensor x, double beta = 1, double threshold = 20) =>
        Tensor.Wrap(Native.hs_softplus(NotNull(x).Handle, beta, threshold, out var r), r, "hs_softplus");

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor x, long dim) =>
        Tensor.Wrap(Native.hs_softmax(NotNull(x).Handle, dim, out var r), r, "hs_softmax");

    /// <summary>log(softmax) along <paramref name="dim"/>, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor x, long dim) =>
        Tensor.Wrap(Native.hs_log_softmax(NotNull(x).Handle, dim, out var r), r, "hs_log_softmax");

    private static Tensor NotNull(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x;
    }
}
