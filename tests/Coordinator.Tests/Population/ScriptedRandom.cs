using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>
/// Returns queued draws first (a transcript's <c>&gt; draws</c> line says what the next random
/// decisions are), then continues with a seeded <see cref="SplitMix64"/>.
/// </summary>
internal sealed class ScriptedRandom(ulong seed) : IRandom
{
    private readonly Queue<double> _queued = new();
    private readonly SplitMix64 _fallback = new(seed);

    public ulong State => _fallback.State;

    /// <summary>How many queued draws are still unused.</summary>
    public int Queued => _queued.Count;

    public void Enqueue(IEnumerable<double> draws)
    {
        foreach (var draw in draws)
        {
            if (!(draw >= 0 && draw < 1)) throw new ArgumentOutOfRangeException(nameof(draws), draw, "a draw must lie in [0, 1).");
            _queued.Enqueue(draw);
        }
    }

    public double NextDouble() => _queued.TryDequeue(out var draw) ? draw : _fallback.NextDouble();
}
