namespace HyperSwarm.Cli.Predict;

/// <summary>One file's most likely classes, most likely first (<see cref="Top"/>[0] is the prediction).</summary>
internal sealed record Prediction(string File, IReadOnlyList<RankedClass> Top)
{
    /// <summary>
    /// The <paramref name="k"/> most probable of <paramref name="probabilities"/> (one per class,
    /// named by <paramref name="classNames"/>); ties go to the lower class index.
    /// </summary>
    public static Prediction Rank(string file, ReadOnlySpan<float> probabilities, IReadOnlyList<string> classNames, int k)
    {
        var p = probabilities.ToArray();
        // OrderBy is stable: equal probabilities keep class order.
        var ranked = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).Take(k).Select(i => new RankedClass(classNames[i], p[i])).ToArray();
        return new Prediction(file, ranked);
    }
}
