using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class CheckpointContentTests
{
    [Fact]
    public void Capture_names_parameters_buffers_and_rng_by_section()
    {
        using var net = new TinyNet();

        var content = CheckpointContent.Capture(net, step: 3, config: "{}");

        Assert.Equal(
            ["param.conv.weight", "param.conv.bias", "param.head.weight", "param.head.bias", "buffer.steps", "rng.cpu"],
            content.Tensors.Select(t => t.Name));
        Assert.Equal(DType.UInt8, content["rng.cpu"].DType);
    }

    [Fact]
    public void Loading_into_a_fresh_module_copies_every_parameter_and_buffer()
    {
        var live = Torch.Torch.LiveTensors;
        using (var saved = new TinyNet())
        using (var fresh = new TinyNet())
        {
            saved.Steps.AddInPlace(5);
            var content = CheckpointContent.Capture(saved, 1, "{}");

            content.LoadInto(fresh);

            foreach (var ((name, a), (_, b)) in saved.NamedParameters().Zip(fresh.NamedParameters()))
            {
                Assert.True(a.Value.ToArray<float>().SequenceEqual(b.Value.ToArray<float>()), name);
                Assert.True(b.Value.RequiresGrad, name);
            }

            Assert.Equal([5L], fresh.Steps.ToArray<long>());
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
    }

    [Fact]
    public void A_model_that_does_not_match_is_refused_with_every_difference_and_left_untouched()
    {
        using var saved = new TinyNet(outputs: 3);
        using var other = new TinyNet(outputs: 5);
        var content = CheckpointContent.Capture(saved, 1, "{}");
        var before = other.Conv.Weight.Value.ToArray<float>();

        var e = Assert.Throws<CheckpointException>(() => content.LoadInto(other));

        Assert.Contains("'param.head.weight' is Float32 [3, 144] but the target is Float32 [5, 144]", e.Message, StringComparison.Ordinal);
        Assert.Contains("'param.head.bias' is Float32 [3]", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, other.Conv.Weight.Value.ToArray<float>());
    }

    [Fact]
    public void Missing_and_unexpected_names_are_both_reported()
    {
        using var net = new TinyNet();
        var content = new CheckpointContent { SourcePath = "run/step-000000001.safetensors" };
        foreach (var (name, t) in CheckpointContent.Capture(net, 1, "{}").Tensors.Where(t => t.Name != "param.conv.bias"))
        {
            content.Add(name, t);
        }

        content.Add("param.extra.weight", HostTensor.FromArray<float>([1f], 1));

        var e = Assert.Throws<CheckpointException>(() => content.LoadInto(net));

        Assert.StartsWith("Checkpoint file 'run/step-000000001.safetensors' does not match the model: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("'param.conv.bias' is missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("'param.extra.weight' is unexpected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimizer_state_loads_into_existing_tensors_or_is_created_fresh()
    {
        using var scope = TensorScope.Begin();
        var content = new CheckpointContent();
        var momentum = Torch.Torch.Full([2, 2], 0.25);
        content.AddTensors(CheckpointSections.Optimizer, [("momentum.w", momentum)]);
        var target = Torch.Torch.Zeros([2, 2]);

        content.LoadInto(CheckpointSections.Optimizer, [("momentum.w", target)]);
        var created = content.CreateTensors(CheckpointSections.Optimizer);

        Assert.Equal(momentum.ToArray<float>(), target.ToArray<float>());
        Assert.Equal(momentum.ToArray<float>(), created["momentum.w"].ToArray<float>());
        created["momentum.w"].Dispose();
        Assert.Throws<CheckpointException>(() => content.LoadInto(CheckpointSections.Optimizer, [("momentum.v", target)]));
    }

    [Fact]
    public void Restoring_the_rng_repeats_the_random_draws()
    {
        using var scope = TensorScope.Begin();
        Torch.Torch.ManualSeed(11);
        using var net = new TinyNet();
        var content = CheckpointContent.Capture(net, 1, "{}");
        var first = Torch.Torch.Rand([4]).ToArray<float>();

        content.RestoreRng();

        Assert.Equal(first, Torch.Torch.Rand([4]).ToArray<float>());
    }

    [Fact]
    public void Names_are_unique_and_the_metadata_key_is_reserved()
    {
        var content = new CheckpointContent();
        content.Add("a", HostTensor.FromArray<float>([1f], 1));

        Assert.Throws<ArgumentException>(() => content.Add("a", HostTensor.FromArray<float>([1f], 1)));
        Assert.Throws<ArgumentException>(() => content.Add("__metadata__", HostTensor.FromArray<float>([1f], 1)));
        Assert.Throws<CheckpointException>(content.RestoreRng);
    }
}
