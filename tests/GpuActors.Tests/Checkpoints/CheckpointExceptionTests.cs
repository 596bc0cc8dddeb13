using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class CheckpointExceptionTests
{
    [Fact]
    public void Message_is_one_sentence_naming_the_file_and_the_problem()
    {
        var e = new CheckpointException("run/step-000000007.safetensors", "is truncated: it ended inside tensor 'param.w'.");

        Assert.Equal("Checkpoint file 'run/step-000000007.safetensors' is truncated: it ended inside tensor 'param.w'.", e.Message);
        Assert.Equal("run/step-000000007.safetensors", e.Path);
    }
}
