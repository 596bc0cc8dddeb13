using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Training;

// The device setting: parsed once, refused in one sentence when this process cannot use it,
// and honoured by moving the model in place.
public sealed class TrainingDeviceTests : IDisposable
{
    private readonly SyntheticImages data = new();

    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void The_cpu_is_always_usable(string name) => Assert.Equal(Device.Cpu, TrainingDevice.Resolve(name));

    [Fact]
    public void A_name_that_is_no_device_is_one_sentence() =>
        Assert.Equal("device: 'gpu' is not a device: use cpu, cuda or cuda:N.",
            Assert.Throws<ArgumentException>(() => TrainingDevice.Resolve("gpu")).Message);

    [Fact]
    public void A_cuda_device_this_process_cannot_reach_is_refused()
    {
        var message = Assert.Throws<ArgumentException>(() => TrainingDevice.Resolve($"cuda:{Cuda.DeviceCount}")).Message;
        Assert.StartsWith($"device: cuda:{Cuda.DeviceCount} ", message, StringComparison.Ordinal);
        Assert.Contains(Cuda.CompiledIn ? "is not present" : "needs a CUDA build of libhstorch", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_device_in_the_config_fails_validation() =>
        Assert.Equal("device: 'tpu:0' is not a device: use cpu, cuda or cuda:N.",
            Assert.Throws<ArgumentException>(() => (TinyRuns.Config(data.Directory) with { Device = "tpu:0" }).Validate()).Message);

    [Fact]
    public void A_run_refuses_an_unreachable_device_before_reading_anything()
    {
        var config = TinyRuns.Config(data.Directory) with { Device = $"cuda:{Cuda.DeviceCount}" };
        Assert.Throws<ArgumentException>(() => new TrainingRun(config));
    }

    [Fact]
    public void Moving_a_model_to_its_own_device_keeps_every_tensor_and_value()
    {
        using var model = new SmallCnn(inChannels: 1, imageSize: 8, classes: 3);
        var before = model.NamedParameters().Select(p => (p.Parameter.Value, Values: p.Parameter.Value.ToArray<float>())).ToList();

        model.MoveTo(Device.Cpu);

        var after = model.NamedParameters().Select(p => p.Parameter.Value).ToList();
        Assert.Equal(before.Select(b => b.Value), after); // same handles
        Assert.All(before, b => Assert.Equal(b.Values, b.Value.ToArray<float>()));
    }

    public void Dispose() => data.Dispose();
}
