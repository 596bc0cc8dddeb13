using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// What the owner of a population member hears from its run (pass it to
/// <see cref="TrainingRun.Begin"/>): a report every few weight steps, every checkpoint written,
/// every divergence repaired. The callbacks run on the run's thread, inside a step or a
/// command: keep them quick (hand the value on).
/// </summary>
public sealed class MemberObserver
{
    /// <summary>Creates the observer of member <paramref name="memberId"/> (stamped on its checkpoint references).</summary>
    public MemberObserver(string memberId)
    {
        ArgumentException.ThrowIfNullOrEmpty(memberId);
        MemberId = memberId;
    }

    /// <summary>The member the run trains.</summary>
    public string MemberId { get; }

    /// <summary>Weight steps between <see cref="Report"/> calls; 0 uses the run's <c>reporting.log_every_steps</c>.</summary>
    public int ReportEverySteps { get; init; }

    /// <summary>Every <see cref="ReportEverySteps"/> weight steps, and once more when the owner stops the run.</summary>
    public Action<MemberProgress>? Report { get; init; }

    /// <summary>After every checkpoint the run writes: periodic, on demand, at the stop and at the end.</summary>
    public Action<CheckpointRef>? Checkpointed { get; init; }

    /// <summary>After a non-finite (or blown-up) loss was repaired by restoring the last checkpoint's state.</summary>
    public Action<MemberDivergence>? Diverged { get; init; }
}
