using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Node;

public sealed class PopulationJournalTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly HyperparameterSet Dropout = new([new HyperparameterRange("dropout", HyperparameterKind.Bounded, 0, 0.8, 0.3).ToValue()], [], 0);

    private static MemberReported Report(string member, long step, long epoch = 1, HyperparameterSet? hyperparameters = null, string worker = "w1") =>
        new(T0.AddSeconds(step), worker, member, epoch, step, 1.0, 0.5, 0.9, hyperparameters);

    [Fact]
    public void Held_reports_of_one_member_collapse_into_the_latest_and_keep_their_first_place()
    {
        var journal = new PopulationJournal();

        journal.Hold(Report("m00", 10));
        journal.Hold(Report("m01", 10));
        journal.Hold(Report("m00", 20));
        journal.Flush();
        var (rows, entries) = journal.Take();

        Assert.Equal([("m00", "input"), ("m01", "input")], rows.Select(r => (r.MemberId!, r.Kind)));
        Assert.Contains("\"step\":20", rows[0].PayloadJson, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.Null(e));
        Assert.Equal(0, journal.HeldReports);
    }

    [Theory]
    [InlineData(5, 1, true, false)]    // an earlier step: the good-checkpoint rule compares steps
    [InlineData(20, 2, true, false)]   // another epoch
    [InlineData(20, 1, false, false)]  // drops the hyperparameters the earlier one carried
    [InlineData(20, 1, true, true)]
    public void A_later_report_supersedes_an_earlier_one_only_when_that_gives_the_same_state(long step, long epoch, bool withHyperparameters, bool supersedes)
    {
        var earlier = Report("m00", 10, 1, Dropout);
        var later = Report("m00", step, epoch, withHyperparameters ? Dropout : null);

        Assert.Equal(supersedes, PopulationJournal.Supersedes(later, earlier));
    }

    [Fact]
    public void A_written_input_follows_the_reports_held_before_it_and_rides_on_its_first_entry()
    {
        var journal = new PopulationJournal();
        var machine = new PopulationMachine(new PopulationOptions { Size = 1 }, new SplitMix64(1));
        journal.Hold(Report("m09", 10));
        var started = new RunStarted(T0);

        journal.Write(started, machine.Apply(started), machine.State);
        var (rows, entries) = journal.Take();

        Assert.Equal(["input", "run_started", "member_created", "member_waiting"], rows.Select(r => r.Kind));
        Assert.StartsWith("{\"at\":", rows[1].PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"input\":{\"type\":\"run_started\"", rows[1].PayloadJson, StringComparison.Ordinal);
        Assert.DoesNotContain("\"input\"", rows[2].PayloadJson, StringComparison.Ordinal);
        Assert.Equal("member_created", entries[2]!.Value.Entry.Kind);
    }
}
