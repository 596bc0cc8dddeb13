using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class HostTensorTests
{
    [Fact]
    public void Every_dtype_survives_host_to_tensor_to_host_unchanged()
    {
        var live = Torch.Torch.LiveTensors;
        foreach (var (name, host) in Samples.EveryDType())
        {
            using var scope = TensorScope.Begin();

            var tensor = host.ToTensor();
            var back = HostTensor.FromTensor(tensor);

            Assert.True(host.DType == tensor.DType, name);
            Assert.Equal(host.Shape, tensor.Shape);
            Assert.Equal(host.Data, back.Data);
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public void Bfloat16_values_are_the_upper_halves_of_their_float32_values()
    {
        using var scope = TensorScope.Begin();
        var host = Samples.EveryDType().Single(t => t.Name == "bf16").Tensor;

        var values = host.ToTensor().To(DType.Float32).ToArray<float>();

        Assert.Equal([1f, -2f, 3.140625f], values);
    }

    [Fact]
    public void Copying_into_a_parameter_keeps_its_identity_and_requires_grad()
    {
        using var net = new TinyNet();
        var bias = net.Head.Bias!.Value;
        var host = HostTensor.FromArray<float>([1f, 2f, 3f], 3);

        host.CopyInto(bias);

        Assert.Same(bias, net.Head.Bias!.Value);
        Assert.True(bias.RequiresGrad);
        Assert.True(bias.IsLeaf);
        Assert.Equal([1f, 2f, 3f], bias.ToArray<float>());
    }

    [Fact]
    public void Copying_into_a_bfloat16_tensor_converts_exactly()
    {
        using var scope = TensorScope.Begin();
        var target = Torch.Torch.Zeros([3], DType.BFloat16);
        var host = Samples.EveryDType().Single(t => t.Name == "bf16").Tensor;

        host.CopyInto(target);

        Assert.Equal(host.Data, HostTensor.FromTensor(target).Data);
    }

    [Fact]
    public void Copying_into_a_tensor_of_another_shape_or_dtype_is_refused()
    {
        using var scope = TensorScope.Begin();
        var host = HostTensor.FromArray<float>([1f, 2f], 2);

        Assert.Throws<ArgumentException>(() => host.CopyInto(Torch.Torch.Zeros([3])));
        Assert.Throws<ArgumentException>(() => host.CopyInto(Torch.Torch.Zeros([2], DType.Float64)));
    }

    [Fact]
    public void Data_of_the_wrong_length_for_the_shape_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new HostTensor(DType.Float32, [2, 2], new byte[12]));
        Assert.Throws<ArgumentException>(() => new HostTensor(DType.Float32, [-1], []));
    }

    [Fact]
    public void Span_view_must_match_the_dtype()
    {
        var host = HostTensor.FromArray<long>([3, 4], 2);

        Assert.Equal([3L, 4L], host.AsSpan<long>().ToArray());
        Assert.Throws<InvalidOperationException>(() => host.AsSpan<int>().Length);
    }
}
