using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// A convolution's or linear layer's weights on the host, with whatever surrounds the layer
/// folded in: a scalar bias or scale on its input, a scale, bias or evaluation-mode batch norm on
/// its output, and a hyper layer's response at fixed hyperparameters. Folding is exact algebra
/// done in double precision; the graph gets float32 once, at the end. Each fold mutates and
/// returns this, so the order of calls is the order the layer's neighbours act in.
/// </summary>
internal sealed class FoldedWeights
{
    private double[] weight; // (O, I, k, k) or (O, I), row-major
    private double[] bias;   // (O)

    private FoldedWeights(double[] weight, long[] shape, double[] bias)
    {
        this.weight = weight;
        this.bias = bias;
        Shape = shape;
    }

    /// <summary>(O, I, k, k) for a convolution, (O, I) for a linear layer.</summary>
    public long[] Shape { get; private set; }

    /// <summary>Whether any fold gave the layer a bias (a layer built without one exports none while it stays zero).</summary>
    public bool HasBias => Array.Exists(bias, b => b != 0);

    private int Outputs => (int)Shape[0];

    private int FanIn => weight.Length / Outputs;

    /// <summary>A plain convolution as it is.</summary>
    public static FoldedWeights Of(Conv2d conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        return new(Host(conv.Weight.Value), conv.Weight.Shape, conv.Bias is null ? new double[conv.OutChannels] : Host(conv.Bias.Value));
    }

    /// <summary>A plain linear layer as it is.</summary>
    public static FoldedWeights Of(Linear linear)
    {
        ArgumentNullException.ThrowIfNull(linear);
        return new(Host(linear.Weight.Value), linear.Weight.Shape, linear.Bias is null ? new double[linear.OutFeatures] : Host(linear.Bias.Value));
    }

    /// <summary>
    /// A hyper convolution fed λ̃ (n) in every row, as evaluation feeds it: its per-channel
    /// gates (V λ̃)_c and (C λ̃)_c are constants, so W = W_elem + diag(V λ̃)·W_hyper and
    /// b = b_elem + (C λ̃) ⊙ b_hyper give the same output with one convolution (ALGORITHMS §1.2).
    /// </summary>
    public static FoldedWeights Of(HyperConv2d layer, double[] lambda)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var folded = Of(layer.Elementary);
        folded.AddResponse(Of(layer.Hyper), Host(layer.Gate.Value), lambda);
        return folded;
    }

    /// <summary>A hyper linear layer fed λ̃ (n) in every row; see the convolution's overload.</summary>
    public static FoldedWeights Of(HyperLinear layer, double[] lambda)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var folded = Of(layer.Elementary);
        folded.AddResponse(Of(layer.Hyper), Host(layer.Gate.Value), lambda);
        return folded;
    }

    /// <summary>layer(x + b) for a scalar b. Exact only without zero padding (1×1 convolutions, linear layers): padding would stay 0, not b.</summary>
    public FoldedWeights ShiftInputs(double b)
    {
        for (var o = 0; o < Outputs; o++)
        {
            var rowSum = 0.0;
            foreach (var w in weight.AsSpan(o * FanIn, FanIn)) rowSum += w;
            bias[o] += b * rowSum;
        }

        return this;
    }

    /// <summary>layer(s·x) for a scalar s.</summary>
    public FoldedWeights ScaleInputs(double s)
    {
        for (var i = 0; i < weight.Length; i++) weight[i] *= s;
        return this;
    }

    /// <summary>
    /// layer(q ⊙ x) for one factor per input channel (its fan-in block: k·k weights of a conv, one
    /// of a linear layer on pooled features). Exact under zero padding too, since q·0 = 0; this is
    /// how an activation's per-channel output gain moves into the layer that reads it.
    /// </summary>
    public FoldedWeights ScaleInputChannels(double[] q)
    {
        var (fanIn, block) = ChannelBlocks(q, nameof(q));
        for (var o = 0; o < Outputs; o++)
        {
            for (var i = 0; i < fanIn; i++) weight[o * fanIn + i] *= q[i / block];
        }

        return this;
    }

    /// <summary>
    /// layer(x + c) for one shift per input channel. Exact only without zero padding (1×1
    /// convolutions, linear layers), like <see cref="ShiftInputs"/>.
    /// </summary>
    public FoldedWeights ShiftInputChannels(double[] c)
    {
        var (fanIn, block) = ChannelBlocks(c, nameof(c));
        for (var o = 0; o < Outputs; o++)
        {
            for (var i = 0; i < fanIn; i++) bias[o] += c[i / block] * weight[o * fanIn + i];
        }

        return this;
    }

    // The fan-in and the length of one input channel's block in it, for one value per input channel.
    private (int FanIn, int Block) ChannelBlocks(double[] perChannel, string parameter)
    {
        ArgumentNullException.ThrowIfNull(perChannel, parameter);
        var fanIn = FanIn;
        if (perChannel.Length == 0 || fanIn % perChannel.Length != 0) throw new ArgumentException($"{perChannel.Length} per-channel values do not divide a fan-in of {fanIn}.", parameter);
        return (fanIn, fanIn / perChannel.Length);
    }

    /// <summary>β ⊙ layer(x) for one factor per output (after any output fold and pruning: one per kept unit).</summary>
    public FoldedWeights ScaleOutputChannels(double[] beta)
    {
        ArgumentNullException.ThrowIfNull(beta);
        if (beta.Length != Outputs) throw new ArgumentException($"{beta.Length} factors for {Outputs} outputs.", nameof(beta));
        var fanIn = FanIn;
        for (var o = 0; o < Outputs; o++)
        {
            for (var i = 0; i < fanIn; i++) weight[o * fanIn + i] *= beta[o];
            bias[o] *= beta[o];
        }

        return this;
    }

    /// <summary>layer(x) + b for a scalar b.</summary>
    public FoldedWeights ShiftOutputs(double b)
    {
        for (var o = 0; o < Outputs; o++) bias[o] += b;
        return this;
    }

    /// <summary>s·layer(x) for a scalar s.</summary>
    public FoldedWeights ScaleOutputs(double s)
    {
        for (var i = 0; i < weight.Length; i++) weight[i] *= s;
        for (var o = 0; o < Outputs; o++) bias[o] *= s;
        return this;
    }

    /// <summary>
    /// norm(layer(x)) with <paramref name="norm"/> in evaluation mode:
    /// y_c = (z_c − μ_c)·γ_c/√(σ²_c + ε) + β_c, a per-channel scale and shift of z.
    /// </summary>
    public FoldedWeights NormalizeOutputs(BatchNorm2d norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        var (scale, shift) = Affine(norm);
        for (var o = 0; o < Outputs; o++)
        {
            for (var i = 0; i < FanIn; i++) weight[o * FanIn + i] *= scale[o];
            bias[o] = bias[o] * scale[o] + shift[o];
        }

        return this;
    }

    /// <summary>
    /// Applies <paramref name="plan"/>'s input side to <paramref name="layer"/>'s weights, right
    /// after they are read and before any fold that sums over inputs: per-weight zeros, or the
    /// columns of input channels no one produces any more dropped. Then the folds see exactly
    /// the inputs the pruned network has.
    /// </summary>
    public FoldedWeights PruneInputs(PruningPlan plan, Module layer)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.WeightKeep(layer) is { } keep)
        {
            for (var i = 0; i < weight.Length; i++)
            {
                if (!keep[i]) weight[i] = 0;
            }
        }

        if (plan.LiveInputs(layer) is { } live) KeepInputs(live.Channels, live.Block);
        return this;
    }

    /// <summary>Applies <paramref name="plan"/>'s output side to <paramref name="layer"/>, after every output fold: removed units go.</summary>
    public FoldedWeights PruneOutputs(PruningPlan plan, Module layer)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.KeptUnits(layer) is { } units) KeepOutputs(units);
        return this;
    }

    // Keeps the fan-in blocks of the given input channels, each `block` entries long (k·k for a
    // conv, H·W for a layer on flattened features).
    private void KeepInputs(int[] channels, int block)
    {
        var fanIn = FanIn;
        var kept = channels.Length * block;
        var next = new double[Outputs * kept];
        for (var o = 0; o < Outputs; o++)
        {
            for (var c = 0; c < channels.Length; c++) Array.Copy(weight, o * fanIn + channels[c] * block, next, o * kept + c * block, block);
        }

        weight = next;
        Shape = Shape.Length == 4 ? [Shape[0], channels.Length, Shape[2], Shape[3]] : [Shape[0], kept];
    }

    private void KeepOutputs(int[] units)
    {
        var fanIn = FanIn;
        var next = new double[units.Length * fanIn];
        for (var u = 0; u < units.Length; u++) Array.Copy(weight, units[u] * fanIn, next, u * fanIn, fanIn);
        weight = next;
        bias = [.. units.Select(u => bias[u])];
        Shape = [units.Length, .. Shape[1..]];
    }

    /// <summary>The weights as float32, same shape.</summary>
    public float[] Weight() => Array.ConvertAll(weight, w => (float)w);

    /// <summary>The bias (O) as float32.</summary>
    public float[] Bias() => Array.ConvertAll(bias, b => (float)b);

    /// <summary>An evaluation-mode batch norm as y = scale_c·x + shift_c, per channel (C).</summary>
    public static (double[] Scale, double[] Shift) Affine(BatchNorm2d norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        var gamma = Host(norm.Weight.Value);
        var beta = Host(norm.Bias.Value);
        var mean = Host(norm.RunningMean);
        var variance = Host(norm.RunningVar);
        var scale = new double[gamma.Length];
        var shift = new double[gamma.Length];
        for (var c = 0; c < gamma.Length; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + norm.Eps);
            shift[c] = beta[c] - mean[c] * scale[c];
        }

        return (scale, shift);
    }

    /// <summary>A tensor's values in double precision, row-major.</summary>
    public static double[] Host(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Array.ConvertAll(tensor.ToArray<float>(), v => (double)v);
    }

    // gates = [V; C] λ̃: (2·O) with a bias half, (O) without (bias-free hyper convolutions).
    private void AddResponse(FoldedWeights hyper, double[] gate, double[] lambda)
    {
        var n = lambda.Length;
        if (gate.Length % n != 0) throw new ArgumentException($"the gate holds {gate.Length} values, not a multiple of {n} hyperparameters.", nameof(lambda));
        var rows = gate.Length / n;
        var withBias = rows == 2 * Outputs;
        for (var o = 0; o < Outputs; o++)
        {
            var weightGate = Dot(gate.AsSpan(o * n, n), lambda);
            for (var i = 0; i < FanIn; i++) weight[o * FanIn + i] += weightGate * hyper.weight[o * FanIn + i];
            if (withBias) bias[o] += Dot(gate.AsSpan((Outputs + o) * n, n), lambda) * hyper.bias[o];
        }
    }

    private static double Dot(ReadOnlySpan<double> a, double[] b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++) sum += a[j] * b[j];
        return sum;
    }
}
