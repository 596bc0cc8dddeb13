using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>Functional autograd, as <c>torch.autograd.grad</c>: hypergradients need it.</summary>
public static unsafe class Autograd
{
    /// <summary>
    /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>,
    /// without touching the inputs' <see cref="Tensor.Grad"/>. Non-scalar outputs need
    /// <paramref name="gradOutputs"/>. With <paramref name="createGraph"/> the results are
    /// differentiable again. An input the outputs do not depend on yields null when
    /// <paramref name="allowUnused"/>, and an error otherwise.
    /// </summary>
    public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? gradOutputs = null,
        bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            throw new TorchException("hs_autograd_grad", $"{outputs.Count} outputs but {gradOutputs.Count} grad outputs");
        }

        using var outs = new HandleArray(outputs);
        using var ins = new HandleArray(inputs);
        using var gouts = gradOutputs is null ? null : new HandleArray(gradOutputs);
        var raw = new nint[inputs.Count];
        var retain = retainGraph ?? createGraph; // PyTorch's default: keep the graph iff building one
        fixed (nint* o = outs.Raw)
        fixed (nint* i = ins.Raw)
        fixed (nint* g = gouts?.Raw)
        fixed (nint* r = raw)
        {
            var rc = Native.hs_autograd_grad(o, outputs.Count, g, i, inputs.Count, retain ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, r);
            Native.Check(rc, "hs_autograd_grad");
        }

        var result = new Tensor?[raw.Length];
        for (var k = 0; k < raw.Length; k++)
        {
            result[k] = raw[k] == 0 ? null : new Tensor(raw[k]);
        }

        return result;
    }
}
