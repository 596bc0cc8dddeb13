using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// An exponential moving average of a model's parameters, the weights that are evaluated,
/// kept and exported while the optimizer steps the live ones. Why: AGD has no schedule, so
/// its steps never shrink on purpose and the live weights keep bouncing with the minibatch
/// noise (measured: validation accuracy ±2 points epoch to epoch). Averaging the iterates
/// removes that noise the way a decaying learning rate does, without choosing a schedule and
/// without touching the training trajectory (Polyak–Ruppert averaging; an EMA so that early,
/// bad weights fade out). The horizon is set by the data (one epoch of steps by default), so
/// it needs no tuning either. Decay per step: min(1 − 1/horizon, (1 + t)/(10 + t)), which
/// follows the live weights closely at first and then averages over about one horizon.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly Tensor[] live;     // the model's tensors (not owned)
    private readonly Tensor[] average;  // same shapes, owned
    private readonly Tensor[] stash;    // the live values while the average is swapped in, owned
    private readonly string[] names;
    private bool swapped;

    /// <summary>Averages <paramref name="parameters"/> over about <paramref name="horizon"/> steps.</summary>
    public WeightAverage(IEnumerable<(string Name, Parameter Parameter)> parameters, long horizon)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Horizon = horizon;
        var list = parameters.ToList();
        names = [.. list.Select(p => p.Name)];
        live = [.. list.Select(p => p.Parameter.Value)];
        average = new Tensor[live.Length];
        stash = new Tensor[live.Length];
        using var noGrad = NoGrad.Enter();
        for (var i = 0; i < live.Length; i++)
        {
            using var detached = live[i].Detach();
            average[i] = detached.Clone().Escape();
            stash[i] = detached.Clone().Escape();
        }
    }

    /// <summary>Steps the average covers once warmed up.</summary>
    public long Horizon { get; }

    /// <summary>The averaged tensors by parameter name, for checkpoints.</summary>
    public IEnumerable<(string Name, Tensor Value)> State => names.Zip(average);

    /// <summary>How much of the live weights step <paramref name="step"/> (1-based) mixes in.</summary>
    public double Weight(long step) => Math.Max(1.0 / Horizon, 9.0 / (10 + Math.Max(0, step - 1)));

    /// <summary>Mixes the live weights after weight step <paramref name="step"/> (1-based) into the average.</summary>
    public void Update(long step)
    {
        if (swapped) throw new InvalidOperationException("the average is swapped into the model; dispose the swap before stepping.");
        var weight = Weight(step);
        using var noGrad = NoGrad.Enter();
        for (var i = 0; i < live.Length; i++) average[i].LerpInPlace(live[i], weight); // avg += w·(live − avg)
    }

    /// <summary>
    /// Puts the averaged weights into the model until the returned scope is disposed, which
    /// puts the live ones back bit for bit. Evaluate and snapshot inside it.
    /// </summary>
    public SwapScope SwapIn()
    {
        if (swapped) throw new InvalidOperationException("the average is already swapped in.");
        using (NoGrad.Enter())
        {
            for (var i = 0; i < live.Length; i++)
            {
                stash[i].CopyFrom(live[i]);
                live[i].CopyFrom(average[i]);
            }
        }

        swapped = true;
        return new SwapScope(this);
    }

    private void SwapOut()
    {
        using (NoGrad.Enter())
        {
            for (var i = 0; i < live.Length; i++) live[i].CopyFrom(stash[i]);
        }

        swapped = false;
    }

    /// <summary>Frees the average and the stash (the model's tensors stay with the model).</summary>
    public void Dispose()
    {
        foreach (var t in average) t?.Dispose();
        foreach (var t in stash) t?.Dispose();
    }

    /// <summary>While alive, the model holds the averaged weights.</summary>
    public readonly struct SwapScope(WeightAverage owner) : IDisposable
    {
        /// <summary>Puts the live weights back.</summary>
        public void Dispose() => owner?.SwapOut();
    }
}
