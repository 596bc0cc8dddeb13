using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Stn;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Turns a step's hyperparameters into per-example augmentation values: a tuned one takes
/// example b's perturbed value from the sample's column, a fixed one the same value for all.
/// Reuses one <see cref="AugmentationValues"/>; when nothing can augment it hands out null so
/// the loader skips the pipeline.
/// </summary>
internal sealed class AugmentationFiller
{
    private readonly AugmentationValues values;
    private readonly HyperparameterPlan plan;
    private readonly HashSet<string> tuned;
    private readonly float[] column;
    private readonly bool augments;

    public AugmentationFiller(HyperparameterPlan plan, int batchSize)
    {
        this.plan = plan;
        values = new AugmentationValues(batchSize);
        column = new float[batchSize];
        tuned = plan.Tuned.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string[] names =
        [
            HyperparameterNames.CutoutLength, HyperparameterNames.CutoutHoles, HyperparameterNames.Shift,
            HyperparameterNames.Flip, HyperparameterNames.Brightness, HyperparameterNames.Contrast,
        ];
        augments = names.Any(n => tuned.Contains(n) || plan.Fixed.GetValueOrDefault(n) > 0);
    }

    /// <summary>Values for a batch drawn with <paramref name="sample"/> (null when no hyperparameter is tuned).</summary>
    public AugmentationValues? Fill(HyperSample? sample)
    {
        if (!augments) return null;
        Column(sample, HyperparameterNames.CutoutLength, values.CutoutLength);
        Column(sample, HyperparameterNames.CutoutHoles, values.CutoutHoles);
        Column(sample, HyperparameterNames.Shift, values.ShiftPixels);
        Column(sample, HyperparameterNames.Flip, values.FlipProbability);
        Column(sample, HyperparameterNames.Brightness, values.Brightness);
        Column(sample, HyperparameterNames.Contrast, values.Contrast);
        return values;
    }

    private void Column(HyperSample? sample, string name, float[] target)
    {
        if (sample is not null && tuned.Contains(name))
        {
            sample.CopyColumn(name, target);
        }
        else
        {
            Array.Fill(target, (float)plan.Fixed[name]);
        }
    }

    private void Column(HyperSample? sample, string name, int[] target)
    {
        if (sample is not null && tuned.Contains(name))
        {
            sample.CopyColumn(name, column); // discrete values arrive floored
            for (var b = 0; b < sample.Batch; b++) target[b] = (int)column[b];
        }
        else
        {
            Array.Fill(target, (int)plan.Fixed[name]);
        }
    }
}
