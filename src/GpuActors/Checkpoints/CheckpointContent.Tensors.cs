using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

// The libtorch side of a checkpoint: every method here touches tensors, so it runs on the
// thread that owns the model (its actor thread).
public sealed partial class CheckpointContent
{
    /// <summary>
    /// Snapshots <paramref name="model"/>'s parameters and buffers and the CPU generator's
    /// state. Add hyper and optimizer state with <see cref="AddTensors"/>.
    /// </summary>
    public static CheckpointContent Capture(Module model, long step, string config)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = new CheckpointContent { Step = step, Config = config };
        content.AddTensors(CheckpointSections.Parameters, model.NamedParameters().Select(p => (p.Name, p.Parameter.Value)));
        content.AddTensors(CheckpointSections.Buffers, model.NamedBuffers());
        using var rng = Torch.Torch.GetRngState();
        content.Add(CheckpointSections.RngCpu, HostTensor.FromTensor(rng));
        return content;
    }

    /// <summary>Snapshots named tensors under <paramref name="prefix"/> (e.g. <see cref="CheckpointSections.Optimizer"/>).</summary>
    public void AddTensors(string prefix, IEnumerable<(string Name, Tensor Tensor)> named)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(named);
        foreach (var (name, tensor) in named) Add(prefix + name, HostTensor.FromTensor(tensor));
    }

    /// <summary>
    /// Copies the checkpoint's parameters and buffers into <paramref name="model"/>'s existing
    /// tensors (no autograd history; parameters keep identity and requires-grad). Names, dtypes
    /// and shapes must match exactly in both directions; nothing is copied unless all do.
    /// </summary>
    public void LoadInto(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var targets = model.NamedParameters().Select(p => (CheckpointSections.Parameters + p.Name, p.Parameter.Value))
            .Concat(model.NamedBuffers().Select(b => (CheckpointSections.Buffers + b.Name, b.Buffer)))
            .ToList();
        var problems = Match(targets, [CheckpointSections.Parameters, CheckpointSections.Buffers]);
        ThrowIfAny(problems, "the model");
        foreach (var (name, target) in targets) byName[name].CopyInto(target);
    }

    /// <summary>
    /// Copies the tensors of section <paramref name="prefix"/> into existing tensors named
    /// without the prefix (an optimizer's state, hyper state); the same strict checks as
    /// <see cref="LoadInto(Module)"/>.
    /// </summary>
    public void LoadInto(string prefix, IEnumerable<(string Name, Tensor Tensor)> targets)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(targets);
        var full = targets.Select(t => (prefix + t.Name, t.Tensor)).ToList();
        ThrowIfAny(Match(full, [prefix]), $"the '{prefix}' state");
        foreach (var (name, target) in full) byName[name].CopyInto(target);
    }

    /// <summary>
    /// New tensors on <paramref name="device"/> for every tensor of section <paramref name="prefix"/>,
    /// keyed without the prefix, for state that does not exist yet (the caller owns them).
    /// </summary>
    public Dictionary<string, Tensor> CreateTensors(string prefix, Device device = default) =>
        Section(prefix).ToDictionary(t => t.Name, t => t.Tensor.ToTensor(device).Escape(), StringComparer.Ordinal);

    /// <summary>Restores the CPU generator's state, so random draws continue as in the saved run.</summary>
    public void RestoreRng()
    {
        if (!TryGet(CheckpointSections.RngCpu, out var state))
        {
            throw new CheckpointException(SourcePath ?? "(in memory)", $"has no '{CheckpointSections.RngCpu}' tensor to restore");
        }

        using var t = state.ToTensor();
        Torch.Torch.SetRngState(t);
    }

    private List<string> Match(List<(string Name, Tensor Target)> targets, string[] prefixes)
    {
        var problems = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in targets)
        {
            wanted.Add(name);
            if (!byName.TryGetValue(name, out var saved))
            {
                problems.Add($"'{name}' is missing");
            }
            else if (saved.DType != target.DType || !saved.Shape.SequenceEqual(target.Shape))
            {
                problems.Add($"'{name}' is {saved.DType} [{string.Join(", ", saved.Shape)}] but the target is {target.DType} [{string.Join(", ", target.Shape)}]");
            }
        }

        foreach (var (name, _) in tensors)
        {
            if (prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) && !wanted.Contains(name))
            {
                problems.Add($"'{name}' is unexpected");
            }
        }

        return problems;
    }

    private void ThrowIfAny(List<string> problems, string target)
    {
        if (problems.Count == 0) return;
        var shown = string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty);
        throw new CheckpointException(SourcePath ?? "(in memory)", $"does not match {target}: {shown}");
    }
}
