using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Protocol.V1;
using HyperSwarm.Protocol.Hyperparameters;
using Kind = HyperSwarm.Protocol.Hyperparameters.HyperparameterKind;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// A member's hyperparameter state on the wire (hyperparameters.proto): λ̃ and s of every tuned
/// hyperparameter in gate-column order, and the gate matrix [V; C] of every hyper layer, named
/// after the layer. λ̃ (<c>unconstrained</c>) and s (<c>sigma_raw</c>) are what is applied; the
/// constrained value and σ travel for people and the coordinator to read. Runs on the
/// member's thread.
/// </summary>
internal static class HyperparameterStateCodec
{
    private const string GateSuffix = ".gate";

    /// <summary>A host copy of λ̃, s and every gate.</summary>
    public static HyperparameterState Export(HyperparameterSpace? space, Module model, long step)
    {
        var state = new HyperparameterState { Step = step };
        if (space is not null)
        {
            var lambda = space.Unconstrained.ToArray<float>();   // (n)
            var scale = space.ScaleRaw.ToArray<float>();         // (n)
            var values = space.Values();
            var sigmas = space.Sigmas();
            for (var i = 0; i < space.Count; i++)
            {
                var spec = space.Specs[i];
                state.Hyperparameters.Add(new Hyperparameter
                {
                    Name = spec.Name,
                    Kind = spec.Kind.ToWire(),
                    Lower = spec.Lower,
                    Upper = spec.Upper,
                    Constrained = values[spec.Name],
                    Unconstrained = lambda[i],
                    Sigma = sigmas[spec.Name],
                    SigmaRaw = scale[i],
                });
            }
        }

        foreach (var (layer, gate) in Gates(model))
        {
            var coefficients = new GateCoefficients { Layer = layer, Rows = (int)gate.Shape[0], Columns = (int)gate.Shape[1] };
            coefficients.Values.AddRange(gate.ToArray<float>());  // (rows, n) row-major
            state.Gates.Add(coefficients);
        }

        return state;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> naming every way <paramref name="state"/> does not fit this member.</summary>
    public static void Check(HyperparameterState state, HyperparameterSpace? space, Module model)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        CheckHyperparameters(state, space, problems);
        CheckGates(state, Gates(model).ToDictionary(g => g.Layer, g => g.Gate.Shape, StringComparer.Ordinal), problems);
        if (problems.Count == 0) return;
        var shown = string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty);
        throw new ArgumentException($"the hyperparameter state does not fit this member: {shown}.", nameof(state));
    }

    /// <summary>
    /// Replaces λ̃, s and (when the state carries gates) every gate with the state's; after
    /// <see cref="Check"/>, so a misfit changes nothing.
    /// </summary>
    public static void Apply(HyperparameterState state, HyperparameterSpace? space, Module model)
    {
        Check(state, space, model);
        if (space is not null)
        {
            space.Unconstrained.CopyFrom<float>(state.Hyperparameters.Select(h => (float)h.Unconstrained).ToArray());
            space.ScaleRaw.CopyFrom<float>(state.Hyperparameters.Select(h => (float)h.SigmaRaw).ToArray());
        }

        var gates = Gates(model).ToDictionary(g => g.Layer, g => g.Gate, StringComparer.Ordinal);
        foreach (var g in state.Gates) gates[g.Layer].CopyFrom<float>(g.Values.ToArray());
    }

    /// <summary>
    /// PBT's explore by a factor: every value is multiplied by <paramref name="scale"/> and kept
    /// inside its range (discrete ones rounded); λ̃ becomes the preimage of the new value.
    /// </summary>
    public static void Explore(HyperparameterSpace space, double scale)
    {
        var lambda = space.Unconstrained.ToArray<float>(); // (n)
        for (var i = 0; i < space.Count; i++)
        {
            var spec = space.Specs[i];
            var value = spec.Constrain(lambda[i]) * scale;
            value = spec.Kind switch
            {
                // Open ranges: stay a hair inside, where the logit and inverse softplus are finite.
                Kind.Bounded => Math.Clamp(value, spec.Lower + 1e-3 * (spec.Upper - spec.Lower), spec.Upper - 1e-3 * (spec.Upper - spec.Lower)),
                Kind.LowerBounded => Math.Max(value, spec.Lower + 1e-3),
                _ => Math.Clamp(Math.Round(value), spec.Lower, spec.Upper),
            };
            lambda[i] = (float)spec.Unconstrain(value);
        }

        space.Unconstrained.CopyFrom<float>(lambda);
    }

    private static void CheckHyperparameters(HyperparameterState state, HyperparameterSpace? space, List<string> problems)
    {
        var theirs = state.Hyperparameters;
        if (space is null)
        {
            if (theirs.Count > 0) problems.Add($"this member tunes no hyperparameters but the state has {theirs.Count}");
            return;
        }

        var ours = space.Specs;
        if (theirs.Count != ours.Count || !theirs.Select(h => h.Name).SequenceEqual(ours.Select(s => s.Name)))
        {
            problems.Add($"the state tunes [{string.Join(", ", theirs.Select(h => h.Name))}] but this member tunes [{string.Join(", ", ours.Select(s => s.Name))}], in that order");
            return;
        }

        for (var i = 0; i < ours.Count; i++)
        {
            var (h, s) = (theirs[i], ours[i]);
            if (h.Kind != s.Kind.ToWire() || h.Lower != s.Lower || h.Upper != s.Upper)
            {
                problems.Add($"'{s.Name}' is {h.Kind} [{h.Lower}, {h.Upper}] in the state but {s.Kind.ToWire()} [{s.Lower}, {s.Upper}] here");
            }

            if (!double.IsFinite(h.Unconstrained) || !double.IsFinite(h.SigmaRaw))
            {
                problems.Add($"'{s.Name}' has a non-finite unconstrained value or sigma_raw");
            }
        }
    }

    private static void CheckGates(HyperparameterState state, Dictionary<string, long[]> ours, List<string> problems)
    {
        if (state.Gates.Count == 0) return; // a state without gates keeps this member's own
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in state.Gates)
        {
            if (!seen.Add(g.Layer)) problems.Add($"gate '{g.Layer}' appears twice");
            else if (!ours.TryGetValue(g.Layer, out var shape)) problems.Add($"gate '{g.Layer}' is unknown here");
            else if (g.Rows != shape[0] || g.Columns != shape[1]) problems.Add($"gate '{g.Layer}' is {g.Rows}×{g.Columns} in the state but {shape[0]}×{shape[1]} here");
            else if (g.Values.Count != (long)g.Rows * g.Columns) problems.Add($"gate '{g.Layer}' holds {g.Values.Count} values, not {g.Rows}×{g.Columns}");
            else if (g.Values.Any(v => !float.IsFinite(v))) problems.Add($"gate '{g.Layer}' holds non-finite values");
        }

        foreach (var layer in ours.Keys.Where(l => !seen.Contains(l))) problems.Add($"gate '{layer}' is missing from the state");
    }

    // Every hyper layer's [V; C] (rows, n), by layer name (the parameter's name without ".gate").
    private static IEnumerable<(string Layer, Torch.Tensor Gate)> Gates(Module model) =>
        model.NamedParameters()
            .Where(p => p.Parameter.Role == ParameterRole.HyperGate)
            .Select(p => (p.Name.EndsWith(GateSuffix, StringComparison.Ordinal) ? p.Name[..^GateSuffix.Length] : p.Name, p.Parameter.Value));
}
