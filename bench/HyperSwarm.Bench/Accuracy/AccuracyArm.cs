namespace HyperSwarm.Bench.Accuracy;

/// <summary>One contestant of <c>bench accuracy</c>: a name and the <c>hyperswarm train</c> overrides that define it.</summary>
public sealed record AccuracyArm(string Name, string Description, IReadOnlyList<string> Overrides)
{
    /// <summary>True for the optimizer baselines zero-config is measured against (<c>zero_config_minus_best_baseline</c>).</summary>
    public bool IsBaseline { get; init; }

    // The regularisers the baselines switch off: they train the plain network, as a user who
    // picks an optimizer and runs it would. (Fixed values stay at their catalog defaults otherwise.)
    private static readonly string[] Regularisers =
    [
        "dropout.input", "dropout.block1", "dropout.block2", "dropout.block3",
        "augment.cutout_length", "augment.cutout_holes", "augment.shift", "augment.flip", "augment.brightness", "augment.contrast",
    ];

    /// <summary>
    /// The arms: HyperSwarm with nothing given (AGD, self-tuning, defaults); the same recipe with
    /// self-tuning off, its hyperparameters fixed at zero-config's starting values (what the STN
    /// is worth: <c>stn_on_minus_off</c>); and the baselines, the same network with Adam at 1e-3
    /// and with SGD + momentum on a one-cycle schedule peaking at 0.1 (weight decay 5e-4, the
    /// usual companion of that recipe).
    /// </summary>
    public static IReadOnlyList<AccuracyArm> All { get; } =
    [
        new("zero-config", "hyperswarm train, no hyperparameters given (AGD + self-tuning)", []),
        new("stn-off", "zero-config with self-tuning off: AGD, hyperparameters fixed at zero-config's starting values", ["stn.enabled=false"]),
        new("adam", "same network, Adam lr 1e-3, no regularisation", Baseline("adam", ["optimizer.learning_rate=0.001"])) { IsBaseline = true },
        new("sgd-one-cycle", "same network, SGD momentum, one-cycle max lr 0.1, weight decay 5e-4", Baseline("sgd", ["optimizer.learning_rate=0.1", "optimizer.weight_decay=0.0005"])) { IsBaseline = true },
    ];

    private static string[] Baseline(string optimizer, string[] settings) =>
        [$"optimizer.kind={optimizer}", "stn.enabled=false", .. settings, .. Regularisers.Select(r => $"stn.initial.{r}=0")];

    /// <summary>The <c>hyperswarm</c> arguments that run this arm for <paramref name="budget"/>.</summary>
    public IReadOnlyList<string> Arguments(TimeSpan budget, int threads, string runsRoot, string? dataPath)
    {
        var args = new List<string>
        {
            "train", "--budget", $"{(long)budget.TotalSeconds}s", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--runs", runsRoot, "--json",
        };
        if (dataPath is not null) args.AddRange(["--data", dataPath]);
        foreach (var o in Overrides) args.AddRange(["--set", o]);
        return args;
    }
}
