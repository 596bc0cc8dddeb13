using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

// The pieces a trainer needs for resume: weights, buffers, optimizer state and the RNG state
// go through a checkpoint file, and the next steps repeat bit for bit on CPU. Each step draws
// its batch and a dropout mask from the CPU generator, so a wrong RNG restore shows up.
public sealed class ResumeDeterminismTests : IDisposable
{
    private const int StepsBefore = 3;
    private const int StepsAfter = 4;
    private readonly TempDirectory dir = new();
    private readonly long liveBefore = Torch.Torch.LiveTensors;

    [Fact]
    public async Task Resuming_from_a_checkpoint_gives_bitwise_the_same_losses_as_continuing()
    {
        var path = dir.File(CheckpointDirectory.FileName(StepsBefore));
        List<double> continued;
        using (var run = new SgdRun(seed: 1))
        {
            for (var i = 0; i < StepsBefore; i++) run.Step();
            await CheckpointWriter.WriteAsync(path, run.Capture(), CancellationToken.None);
            continued = Enumerable.Range(0, StepsAfter).Select(_ => run.Step()).ToList();
        }

        List<double> resumed;
        using (var run = new SgdRun(seed: 999))
        {
            run.Restore(CheckpointReader.Read(path), restoreRng: true);
            resumed = Enumerable.Range(0, StepsAfter).Select(_ => run.Step()).ToList();
            Assert.Equal([(long)(StepsBefore + StepsAfter)], run.Net.Steps.ToArray<long>());
        }

        Assert.Equal(continued.Select(BitConverter.DoubleToInt64Bits), resumed.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task Resuming_without_the_rng_state_diverges()
    {
        var path = dir.File(CheckpointDirectory.FileName(StepsBefore));
        List<double> continued;
        using (var run = new SgdRun(seed: 1))
        {
            for (var i = 0; i < StepsBefore; i++) run.Step();
            await CheckpointWriter.WriteAsync(path, run.Capture(), CancellationToken.None);
            continued = Enumerable.Range(0, StepsAfter).Select(_ => run.Step()).ToList();
        }

        using (var run = new SgdRun(seed: 999))
        {
            run.Restore(CheckpointReader.Read(path), restoreRng: false);

            Assert.NotEqual(continued[0], run.Step());
        }
    }

    public void Dispose()
    {
        dir.Dispose();
        Assert.Equal(liveBefore, Torch.Torch.LiveTensors);
    }

    /// <summary>A tiny conv net trained by plain SGD with momentum, written inline.</summary>
    private sealed class SgdRun : IDisposable
    {
        private const double LearningRate = 0.05;
        private const double Momentum = 0.9;
        private readonly List<(string Name, Tensor Buffer)> momenta;

        public SgdRun(long seed)
        {
            Torch.Torch.ManualSeed(seed);
            Net = new TinyNet();
            momenta = Net.NamedParameters().Select(p => (p.Name, Torch.Torch.Zeros(p.Parameter.Shape).Escape())).ToList();
        }

        public TinyNet Net { get; }

        public CheckpointContent Capture()
        {
            var content = CheckpointContent.Capture(Net, Net.Steps.ToInt64(), "{\"optimizer\": \"sgd\"}");
            content.AddTensors(CheckpointSections.Optimizer, momenta.Select(m => ("momentum." + m.Name, m.Buffer)));
            return content;
        }

        public void Restore(CheckpointContent content, bool restoreRng)
        {
            content.LoadInto(Net);
            content.LoadInto(CheckpointSections.Optimizer, momenta.Select(m => ("momentum." + m.Name, m.Buffer)));
            if (restoreRng) content.RestoreRng();
        }

        public double Step()
        {
            using var scope = TensorScope.Begin();
            var x = Torch.Torch.Randn([8, 1, 8, 8]);                        // (B, 1, H, W)
            var y = Torch.Torch.RandInt(0, 3, [8]);                          // (B)
            var logits = Net.Forward(Functional.Dropout(x, 0.2));           // (B, 3)
            var loss = Functional.CrossEntropy(logits, y);
            loss.Backward();
            using (NoGrad.Enter())
            {
                foreach (var ((_, p), (_, m)) in Net.NamedParameters().Zip(momenta))
                {
                    m.MulInPlace(Momentum);
                    m.AddInPlace(p.Value.Grad!);
                    p.Value.AddInPlace(m, -LearningRate);
                    p.Value.SetGrad(null);
                }

                Net.Steps.AddInPlace(1);
            }

            return loss.ToDouble();
        }

        public void Dispose()
        {
            Net.Dispose();
            foreach (var (_, m) in momenta) m.Dispose();
        }
    }
}
