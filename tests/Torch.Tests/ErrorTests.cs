using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.Torch.Tests;

/// <summary>Bad input raises TorchException with libtorch's message and the function name; the process carries on.</summary>
public sealed class ErrorTests
{
    public static TheoryData<string> Names => new(Cases.Keys);

    private static readonly Dictionary<string, (Action Act, string Function, string MessagePart)> Cases = new()
    {
        ["shape mismatch"] = (() => { using var c = Torch.Ones([2, 3]) + Torch.Ones([4, 5]); }, "hs_binary", "size of tensor a (3) must match"),
        ["matmul shape mismatch"] = (() => { using var c = Functional.MatMul(Torch.Ones([2, 3]), Torch.Ones([4, 5])); }, "hs_matmul", "cannot be multiplied"),
        ["conv weight rank"] = (() => { using var c = Functional.Conv2d(Torch.Ones([1, 3, 8, 8]), Torch.Ones([3, 3])); }, "hs_conv2d", "weight"),
        ["wrong dtype"] = (() => { using var c = Functional.Linear(Torch.Ones([2, 3]), Torch.Ones([4, 3], DType.Float64)); }, "hs_linear", "expected"),
        ["integer labels required"] = (() => { using var c = Functional.CrossEntropy(Torch.Ones([2, 3]), Torch.Ones([2])); }, "hs_cross_entropy", "Float"),
        ["index out of range"] = (() => { using var c = Torch.Ones([3, 2]).IndexSelect(0, Tensor.FromArray(new long[] { 0, 7 })); }, "hs_index_select", "out of range"),
        ["narrow past the end"] = (() => { using var c = Torch.Ones([3, 2]).Narrow(0, 2, 5); }, "hs_narrow", "exceeds"),
        ["gather index out of range"] = (() => { using var c = Torch.Ones([2, 2]).Gather(1, Tensor.FromArray<long>([0, 9, 1, 1], [2, 2])); }, "hs_gather", "out of bounds"),
        ["view of incompatible size"] = (() => { using var c = Torch.Ones([2, 3]).View(4, 2); }, "hs_view", "invalid for input of size 6"),
        ["backward of non-scalar"] = (() => NonScalarBackward(), "hs_backward", "scalar outputs"),
        ["item of many elements"] = (() => Torch.Ones([3]).ToDouble(), "hs_tensor_item_double", "cannot be converted"),
        ["host buffer of the wrong size"] = (() => Torch.Ones([4]).CopyFrom<float>(new float[3]), "hs_tensor_copy_from_host", "12"),
        ["host buffer of the wrong type"] = (() => Torch.Ones([4]).ToArray<double>(), "host copy", "Float32"),
        ["freed handle"] = (() => { var t = Torch.Ones([2]); t.Dispose(); _ = t.Sum(); }, "tensor", "disposed"),
        ["negative thread count"] = (() => Torch.NumThreads = 0, "hs_set_num_threads", "at least 1"),
        ["cuda without a cuda build"] = (() => Cuda.Synchronize(0), "hs_cuda_synchronize", "HS_WITH_CUDA"),
        ["cat of nothing"] = (() => { using var c = Tensor.Cat([]); }, "hs_cat", ""),
        ["unknown dtype code (std::invalid_argument)"] = (() => { using var c = Torch.Zeros([2], (DType)99); }, "hs_zeros", "unknown dtype code 99"),
        ["allocation beyond memory"] = (() => { using var c = Torch.Empty([1L << 40, 1L << 20]); }, "hs_empty", "alloc"),
        ["grad of unused input"] = (() => UnusedInputGrad(), "hs_autograd_grad", "not have been used"),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Bad_input_raises_a_TorchException_and_the_process_keeps_working(string name)
    {
        if (name == "cuda without a cuda build" && Cuda.CompiledIn)
        {
            return; // only meaningful on a CPU build of the shim
        }

        using var scope = TensorScope.Begin();
        var (act, function, part) = Cases[name];

        var e = Assert.Throws<TorchException>(act);

        Assert.Equal(function, e.Function);
        Assert.StartsWith(function, e.Message, StringComparison.Ordinal);
        Assert.Contains(part, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception raised from", e.Message, StringComparison.Ordinal); // no C++ backtrace
        // the process (and this thread's libtorch state) still works
        Assert.Equal(6.0, (Torch.Ones([2, 3], DType.Float64)).Sum().ToDouble());
    }

    [Fact]
    public void Unsupported_cuda_calls_say_so_in_the_exception()
    {
        if (Cuda.CompiledIn)
        {
            return;
        }

        var e = Assert.Throws<TorchException>(() => Cuda.EmptyCache());
        Assert.True(e.Unsupported);
    }

    [Fact]
    public void Five_hundred_errors_in_a_row_leave_no_tensor_behind()
    {
        var before = Torch.LiveTensors;
        using var a = Torch.Ones([2, 3]);
        using var b = Torch.Ones([4, 5]);
        for (var i = 0; i < 500; i++)
        {
            Assert.Throws<TorchException>(() => a + b);
        }

        a.Dispose();
        b.Dispose();
        Assert.Equal(before, Torch.LiveTensors);
    }

    private static void NonScalarBackward()
    {
        var x = Torch.Ones([3]);
        x.RequiresGrad = true;
        (x * 2.0).Backward();
    }

    private static void UnusedInputGrad()
    {
        var x = Torch.Ones([3]);
        var z = Torch.Ones([3]);
        x.RequiresGrad = true;
        z.RequiresGrad = true;
        Autograd.Grad([(x * 2.0).Sum()], [z]);
    }
}
