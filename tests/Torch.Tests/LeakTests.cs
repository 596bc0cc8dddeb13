using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.Torch.Tests;

/// <summary>A training loop written with the binding leaves no native handle behind.</summary>
public sealed class LeakTests
{
    [Fact]
    public void Two_hundred_training_steps_leave_LiveTensors_where_they_started()
    {
        Torch.ManualSeed(3);
        var before = Torch.LiveTensors;
        using (var net = new SmallConvNet())
        using (var x = Torch.Randn([16, 1, 28, 28]))
        using (var y = Torch.RandInt(0, 10, [16]))
        {
            var afterSetup = Torch.LiveTensors;
            for (var step = 0; step < 200; step++)
            {
                net.TrainStep(x, y, lr: 0.05);
                Assert.Equal(afterSetup, Torch.LiveTensors); // flat at every step, not just at the end
            }
        }

        Assert.Equal(before, Torch.LiveTensors);
        Assert.Equal(0, Torch.FinalizerReleases);
    }
}
