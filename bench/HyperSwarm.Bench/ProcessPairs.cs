
namespace HyperSwarm.Bench;

/// <summary>
/// Measures ours against a peer across several fresh process pairs. On shared VMs a process
/// can run in a fast or a slow mode for its whole life (seen here: 3× apart, on either side,
/// single-threaded too), so one pair says little. Each pair runs interleaved rounds; the
/// figure is the median ratio over pairs, and every pair's ratio is kept for the report.
/// </summary>
public static class ProcessPairs
{
    /// <summary>The result over all pairs.</summary>
    public sealed record Result(double Ours, double Theirs, double Ratio, IReadOnlyList<double> PairRatios);

    /// <summary>
    /// Starts <paramref name="pairs"/> pairs of (our serving process, the peer's serving process)
    /// one pair at a time, and runs <paramref name="rounds"/> interleaved rounds of
    /// <paramref name="steps"/> steps in each.
    /// </summary>
    public static async Task<Result> CompareAsync(int pairs, int rounds, int steps,
        Func<CancellationToken, Task<InterleavedPeer>> startOurs, Func<CancellationToken, Task<InterleavedPeer>> startTheirs,
        TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startOurs);
        ArgumentNullException.ThrowIfNull(startTheirs);
        ArgumentNullException.ThrowIfNull(log);
        var ours = new List<double>();
        var theirs = new List<double>();
        var ratios = new List<double>();
        for (var p = 0; p < pairs; p++)
        {
            await using var a = await startOurs(cancellationToken).ConfigureAwait(false);
            await using var b = await startTheirs(cancellationToken).ConfigureAwait(false);
            var (x, y, r) = await Interleaved.CompareAsync(rounds,
                () => a.RunAsync(steps, cancellationToken), () => b.RunAsync(steps, cancellationToken)).ConfigureAwait(false);
            await log.WriteLineAsync(FormattableString.Invariant($"  pair {p + 1}/{pairs}: ours {x:F1}/s, peer {y:F1}/s, ratio {r:F3}")).ConfigureAwait(false);
            ours.Add(x);
            theirs.Add(y);
            ratios.Add(r);
        }

        return new Result(Interleaved.Median(ours), Interleaved.Median(theirs), Interleaved.Median(ratios), ratios);
    }

    /// <summary>Starts this very program (the <c>hyperswarm</c> CLI) as a serving peer with <paramref name="arguments"/>.</summary>
    public static Task<InterleavedPeer> StartSelfAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (exe, args) = PeerProcess.Self(arguments);
        return InterleavedPeer.StartAsync(exe, args, cancellationToken, addServeFlag: false);
    }
}
