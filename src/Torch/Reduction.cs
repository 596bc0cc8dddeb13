namespace HyperSwarm.Torch;

/// <summary>How a loss reduces over the batch; values mirror <c>hs_reduction</c>.</summary>
public enum Reduction
{
    /// <summary>One loss per element.</summary>
    None = 0,

    /// <summary>The mean over elements (default).</summary>
    Mean = 1,

    /// <summary>The sum over elements.</summary>
    Sum = 2,
}
