using System.Diagnostics;

namespace HyperSwarm.Bench.Scaling;

/// <summary>
/// Lets a training thread take a given number of weight steps, then holds it between two steps
/// until the harness opens the gate again. The harness thus decides which members train in a
/// round and for how long, while each member keeps its model, loaders and torch thread warm
/// across rounds. The training side calls <see cref="AfterWeightStep"/> from its step callback;
/// the round's answer is when each of its steps finished (<see cref="Stopwatch"/> timestamps).
/// </summary>
internal sealed class StepGate
{
    private readonly object gate = new();
    private int remaining;
    private bool released;
    private long[] finished = [];
    private TaskCompletionSource<long[]>? done;

    /// <summary>Lets the member take <paramref name="steps"/> more weight steps; completes, when it has, with the time each one finished.</summary>
    public Task<long[]> OpenAsync(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        lock (gate)
        {
            if (remaining > 0) throw new InvalidOperationException("the gate is already open.");
            done = new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            finished = new long[steps];
            remaining = steps;
            Monitor.PulseAll(gate);
            return done.Task;
        }
    }

    /// <summary>Opens the gate for good (the run is being stopped and must reach its next step).</summary>
    public void Release()
    {
        lock (gate)
        {
            released = true;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>On the training thread, after each weight step: counts it, and waits there once the quota is used up.</summary>
    public void AfterWeightStep()
    {
        lock (gate)
        {
            if (released) return;
            if (remaining > 0)
            {
                finished[^remaining] = Stopwatch.GetTimestamp();
                if (--remaining == 0) done!.TrySetResult(finished);
            }

            while (remaining == 0 && !released) Monitor.Wait(gate);
        }
    }
}
