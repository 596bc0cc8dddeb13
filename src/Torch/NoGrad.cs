namespace HyperSwarm.Torch;

/// <summary>
/// Turns grad mode off on this thread until disposed, then restores what it was:
/// <c>using (NoGrad.Enter()) { …optimizer update… }</c>.
/// </summary>
public readonly struct NoGrad : IDisposable
{
    private readonly bool previous;

    private NoGrad(bool previous) => this.previous = previous;

    /// <summary>Disables grad mode for the current thread.</summary>
    public static NoGrad Enter()
    {
        var scope = new NoGrad(GradMode.IsEnabled);
        GradMode.IsEnabled = false;
        return scope;
    }

    /// <summary>Restores the previous grad mode.</summary>
    public void Dispose() => GradMode.IsEnabled = previous;
}
