using System.Globalization;

namespace HyperSwarm.Bench.Compression;

/// <summary>
/// One trained model of <c>bench compress</c>: a network trained by <c>hyperswarm train</c> with
/// nothing else given (self-tuning, AGD), with or without targeted dropout. Both arms of a network
/// take the same number of weight steps, not the same wall clock, so a busy machine slows them
/// without changing what they learn.
/// </summary>
public sealed record CompressArm(string Model, bool Targeted)
{
    /// <summary>γ of the targeted-dropout arm: unit targeting at 0.5, the structured sparsity that leaves about ¼ of the parameters.</summary>
    public const double TargetedSparsity = 0.5;

    /// <summary><c>td</c> or <c>plain</c>.</summary>
    public string Name => Targeted ? "td" : "plain";

    /// <summary>The <c>hyperswarm</c> arguments that train this arm for <paramref name="steps"/> weight steps.</summary>
    public IReadOnlyList<string> Arguments(long steps, int threads, string runsRoot, string? dataPath)
    {
        var args = new List<string>
        {
            "train", "--threads", threads.ToString(CultureInfo.InvariantCulture), "--runs", runsRoot, "--json",
            "--set", $"model.kind={Model}", "--set", "budget=none", "--set", $"max_steps={steps}",
            // One validation, at the end: the model exported is the one trained for all the steps.
            "--set", $"reporting.eval_every_steps={steps}",
        };
        if (dataPath is not null) args.AddRange(["--data", dataPath]);
        if (Targeted)
        {
            args.AddRange(["--set", string.Create(CultureInfo.InvariantCulture, $"compression.sparsity={TargetedSparsity}"), "--set", "compression.targeting=unit"]);
        }

        return args;
    }
}
