using HyperSwarm.Protocol.Hyperparameters;
using FsCheck;
using FsCheck.Fluent;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>
/// Random cluster histories for the property tests: FsCheck generates (and shrinks) a list of
/// abstract actions, and <see cref="Play"/> turns each into a concrete event against the
/// machine's current state — mostly well-behaved workers, with lost and rejoining workers,
/// zombie reports from the wrong worker or a stale epoch, NaN losses, failures and finishes.
/// </summary>
internal static class RandomHistory
{
    public static readonly PopulationOptions Options = new()
    {
        Size = 6,
        ReadySteps = 100,
        TotalSteps = 800,
        MaxRestarts = 2,
        ReportMaxAge = TimeSpan.FromSeconds(120),
        Space =
        [
            new HyperparameterRange("dropout", HyperparameterKind.Bounded, 0, 0.8, 0.3),
            new HyperparameterRange("cutout", HyperparameterKind.Discrete, 0, 16, 8),
            new HyperparameterRange("weight_decay", HyperparameterKind.LowerBounded, 0, double.PositiveInfinity, 1e-4),
        ],
    };

    private static readonly string[] WorkerIds = ["w0", "w1", "w2", "w3"];
    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An action: what kind, and three numbers that pick the who and the how.</summary>
    public sealed record Action(int Kind, int A, int B, int C);

    public static Arbitrary<Action[]> Actions() =>
        Gen.ArrayOf(
            from kind in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Constant(1)), (12, Gen.Constant(2)), (4, Gen.Constant(3)),
                (4, Gen.Constant(4)), (1, Gen.Constant(5)), (1, Gen.Constant(6)))
            from a in Gen.Choose(0, 99)
            from b in Gen.Choose(0, 99)
            from c in Gen.Choose(0, 99)
            select new Action(kind, a, b, c)).ToArbitrary();

    /// <summary>
    /// Plays <paramref name="actions"/> on a new machine seeded with <paramref name="seed"/>,
    /// calling <paramref name="apply"/> for each event (which must apply it), and returns the events.
    /// </summary>
    public static List<PopulationInput> Play(PopulationMachine machine, IEnumerable<Action> actions, Func<PopulationInput, PopulationOutput> apply)
    {
        var events = new List<PopulationInput>();
        var now = Origin;
        void Do(PopulationInput input)
        {
            events.Add(input);
            apply(input);
        }
        Do(new RunStarted(now));
        foreach (var action in actions)
        {
            now = now.AddSeconds(1 + action.C % 30);
            if (Next(machine.State, action, now) is { } input) Do(input);
        }
        return events;
    }

    private static PopulationInput? Next(PopulationState state, Action action, DateTimeOffset now)
    {
        var members = state.Members.Values.ToList();
        var member = members[action.A % members.Count];
        var holder = member.Status == MemberStatus.Running ? member.Slot!.WorkerId : null;
        // One time in five a message comes from some worker rather than the holder, under an
        // epoch that may be old: the zombie traffic fencing exists for.
        var zombie = action.B % 5 == 0 || holder is null;
        var sender = zombie ? WorkerIds[action.B % WorkerIds.Length] : holder!;
        var epoch = zombie ? Math.Max(0, member.Epoch - action.B % 2) : member.Epoch;
        return action.Kind switch
        {
            0 => new WorkerJoined(now, WorkerIds[action.A % WorkerIds.Length], $"{WorkerIds[action.A % WorkerIds.Length]}:7071",
                [.. Enumerable.Range(0, 1 + action.B % 3).Select(i => $"cuda:{i}")]),
            1 => new WorkerLost(now, WorkerIds[action.A % WorkerIds.Length], "heartbeat timeout"),
            2 => Report(member, sender, epoch, action, now),
            3 => new CheckpointWritten(now, sender, new CheckpointReference(member.Id, member.Step + action.B % 60, $"{sender}:7071",
                $"runs/{member.Id}/{member.Step + action.B % 60}", 0, ""), action.C % 2 == 0 ? epoch : null),
            4 => new TimerTicked(now),
            5 => action.B % 2 == 0
                ? new MemberDiverged(now, sender, member.Id, epoch, member.Step, "loss is NaN")
                : new MemberFailed(now, sender, member.Id, epoch, "actor crashed"),
            6 => new MemberFinished(now, sender, member.Id, epoch, member.Step),
            _ => null,
        };
    }

    private static MemberReported Report(PopulationMember member, string sender, long epoch, Action action, DateTimeOffset now)
    {
        var loss = action.C == 0 ? double.NaN : action.C == 1 ? double.PositiveInfinity : 0.2 + action.C / 100.0;
        var step = member.Step + 20 + action.B;
        // Reports echo the hyperparameters the member trains with, a little tuned, as an STN's would be.
        var hyperparameters = member.Hyperparameters with
        {
            Values = [.. member.Hyperparameters.Values.Select(v => v.WithValue(v.Value * (1 + (action.B - 50) / 1000.0)))],
            Step = step,
        };
        return new MemberReported(now, sender, member.Id, epoch, step, loss, loss, 1 - loss / 2, action.B % 3 == 0 ? null : hyperparameters);
    }
}
