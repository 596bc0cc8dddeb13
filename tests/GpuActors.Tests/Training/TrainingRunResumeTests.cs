using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// A run interrupted after a checkpoint and resumed must be indistinguishable from one that never
// stopped: same weights, optimizer moments, λ, σ, schedule position, loader positions and RNG.
public sealed class TrainingRunResumeTests : IDisposable
{
    private const int N = 10; // checkpoint interval; run A goes to 2N
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Fact]
    public void Resuming_from_step_n_repeats_every_later_step_bitwise()
    {
        // Self-tuning with warm-up 4: hyper steps happen on both sides of step N, so the hyper
        // optimizer, λ, σ and the validation loader position all have to come back. Adam keeps
        // moments for both optimizers, which a bad restore would show.
        var config = TinyRuns.Config(data.Directory, optimizer: "adam", maxSteps: 2 * N);
        var original = new List<(long Step, bool Hyper, long LossBits)>();
        using (var run = new TrainingRun(config, new RunDirectory(runs.File("a")), Recorder(original)))
        {
            run.Run();
        }

        var copy = CopyRun(runs.File("a"), runs.File("b"));
        var checkpoints = new CheckpointDirectory(copy.CheckpointsPath);
        foreach (var (step, path) in checkpoints.List().Where(c => c.Step > N)) File.Delete(path);
        Assert.Equal([(long)N], checkpoints.List().Select(c => c.Step));

        var resumed = new List<(long Step, bool Hyper, long LossBits)>();
        TrainingResult result;
        using (var run = new TrainingRun(config, copy, Recorder(resumed)))
        {
            Assert.True(run.Resume());
            Assert.Equal(N, run.WeightSteps);
            result = run.Run();
        }

        var afterN = original.FindIndex(s => s is { Step: N, Hyper: false }) + 1;
        Assert.Contains(original.Skip(afterN), s => s.Hyper);
        Assert.Equal(original.Skip(afterN), resumed);
        Assert.Equal(2 * N, result.WeightSteps);
    }

    [Fact]
    public void A_corrupt_newest_checkpoint_is_reported_and_the_previous_one_used()
    {
        var config = TinyRuns.Config(data.Directory, stn: false, optimizer: "adam", maxSteps: 2 * N);
        var directory = new RunDirectory(runs.File("a"));
        using (var run = new TrainingRun(config, directory))
        {
            run.Run();
        }

        var newest = new CheckpointDirectory(directory.CheckpointsPath).PathOf(2 * N);
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x40; // inside the tensor data: only the checksum can tell
        File.WriteAllBytes(newest, bytes);

        var notices = new List<string>();
        using (var run = new TrainingRun(config, directory, new TrainingObserver { Notice = notices.Add }))
        {
            Assert.True(run.Resume());
            Assert.Equal(N, run.WeightSteps);
        }

        Assert.Contains(notices, n => n.StartsWith("skipped a bad checkpoint", StringComparison.Ordinal) && n.Contains(Path.GetFileName(newest), StringComparison.Ordinal));
        Assert.Contains(notices, n => n.StartsWith($"resumed from weight step {N} ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_directory_without_checkpoints_does_not_resume()
    {
        var config = TinyRuns.Config(data.Directory, stn: false);
        using var run = new TrainingRun(config, new RunDirectory(runs.File("empty")));

        Assert.False(run.Resume());
        Assert.Equal(0, run.WeightSteps);
    }

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }

    private static TrainingObserver Recorder(List<(long, bool, long)> steps) =>
        new() { Step = (step, hyper, loss) => steps.Add((step, hyper, BitConverter.DoubleToInt64Bits(loss))) };

    private static RunDirectory CopyRun(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return new RunDirectory(to);
    }
}
