using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Bench.Binding;
using HyperSwarm.Bench.Trainer;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench;

/// <summary>
/// HyperSwarm's own step rigs, served from a fresh process by the hidden
/// <c>hyperswarm bench-peer NAME --threads N</c> command (see <see cref="ProcessPairs"/>).
/// </summary>
public static class BenchPeers
{
    private static readonly Dictionary<string, Func<Device, IStepRig>> Rigs = new(StringComparer.Ordinal)
    {
        // Same shapes as bench/peers/binding_step.py: SmallCnn 16/32 channels, 28×28, batch 128.
        ["binding-step"] = device => new ClassifierStepRig(() => new SmallCnn(1, 28, 10, 16, 32), BindingBenchmark.Batch, [1, 28, 28], warmupSteps: 5, device),
        // Same as bench/peers/densenet_step.py: DenseNet-BC-40, k 12, MPELU, Fixup-Dense.
        // On a GPU, a few more warm-up steps let cuDNN pick its kernels before timing.
        ["trainer-step"] = device => new ClassifierStepRig(
            () => new DenseNetBC(new DenseNetOptions { Depth = TrainerBenchmark.Depth, GrowthRate = TrainerBenchmark.Growth }),
            TrainerBenchmark.Batch, [1, 28, 28], warmupSteps: device.Type == DeviceType.Cuda ? 5 : 1, device),
    };

    /// <summary>The rig names.</summary>
    public static IReadOnlyCollection<string> Names => Rigs.Keys;

    /// <summary>Builds rig <paramref name="name"/> on a dedicated torch thread and serves it on the given streams until input ends.</summary>
    public static async Task ServeAsync(string name, int threads, Device device, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        if (!Rigs.TryGetValue(name, out var make))
        {
            throw new ArgumentException($"there is no bench peer named '{name}'; choose one of: {string.Join(", ", Rigs.Keys)}.");
        }

        using var torch = await TorchThread.StartAsync(threads, "bench-torch").ConfigureAwait(false);
        var rig = await torch.InvokeAsync(() => make(device)).ConfigureAwait(false);
        try
        {
            await StepServer.ServeAsync(steps => torch.InvokeAsync(() => rig.Measure(steps)), input, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await torch.InvokeAsync(() => { rig.Dispose(); return 0; }).ConfigureAwait(false);
        }
    }
}
