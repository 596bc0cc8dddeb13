using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// A piece of a model that owns parameters, buffers (e.g. BatchNorm running statistics) and
/// child modules under stable names, so that a parameter's full name reads like
/// <c>block2.layer5.conv2.weight</c>. Forward methods are defined by each module; they run on
/// the model's actor thread.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Parameter Parameter)> parameters = [];
    private readonly List<(string Name, Tensor Buffer)> buffers = [];
    private readonly List<(string Name, Module Module)> children = [];
    private bool disposed;

    /// <summary>True in training mode (dropout, augmentation and batch statistics on).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Every parameter of this module and its children, with dotted names, in registration order.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var (name, p) in parameters) yield return (name, p);
        foreach (var (childName, child) in children)
        {
            foreach (var (name, p) in child.NamedParameters()) yield return ($"{childName}.{name}", p);
        }
    }

    /// <summary>Every buffer (non-trainable state saved with checkpoints), with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (name, b) in buffers) yield return (name, b);
        foreach (var (childName, child) in children)
        {
            foreach (var (name, b) in child.NamedBuffers()) yield return ($"{childName}.{name}", b);
        }
    }

    /// <summary>All parameters, without names.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Number of scalar values in all parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Value.Numel);

    /// <summary>Switches this module and its children to training (true) or evaluation (false) mode.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in children) child.Train(training);
    }

    /// <summary>Same as <c>Train(false)</c>.</summary>
    public void Eval() => Train(false);

    /// <summary>
    /// Moves every parameter and buffer, in place, to <paramref name="device"/>. The tensors keep
    /// their identity (<see cref="Tensor.SetData"/>), so layers and anything else holding them
    /// follow; build optimizers after the move so their state is made on the same device.
    /// Models are built on the CPU (the same seed gives the same weights on every device) and moved.
    /// </summary>
    public void MoveTo(Device device)
    {
        foreach (var tensor in NamedParameters().Select(p => p.Parameter.Value).Concat(NamedBuffers().Select(b => b.Buffer)))
        {
            tensor.MoveDataTo(device);
        }
    }

    /// <summary>Frees every parameter, buffer and child.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, p) in parameters) p.Dispose();
        foreach (var (_, b) in buffers) b.Dispose();
        foreach (var (_, c) in children) c.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers a trainable tensor; the module takes ownership.</summary>
    protected Parameter AddParameter(string name, Tensor value, ParameterRole role)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        var p = new Parameter(value, role);
        parameters.Add((name, p));
        return p;
    }

    /// <summary>Registers non-trainable state; the module takes ownership.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        buffers.Add((name, value.Escape()));
        return value;
    }

    /// <summary>Registers a child module; the parent takes ownership.</summary>
    protected T AddModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid module member name (non-empty, no dots)", nameof(name));
        }

        if (parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name) || children.Any(c => c.Name == name))
        {
            throw new ArgumentException($"'{name}' is registered twice in {GetType().Name}", nameof(name));
        }
    }
}
