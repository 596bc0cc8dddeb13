using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_backward(TensorHandle t, TensorHandle grad, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial int hs_grad(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_set_grad(TensorHandle t, TensorHandle grad);
    [LibraryImport(Lib)] internal static partial int hs_retain_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int hs_grad_mode_get(out int enabled);
    [LibraryImport(Lib)] internal static partial int hs_grad_mode_set(int enabled);
    [LibraryImport(Lib)] internal static partial int hs_autograd_grad(nint* outputs, long nOut, nint* gradOutputs, nint* inputs, long nIn, int retainGraph, int createGraph, int allowUnused, nint* outs);
}
