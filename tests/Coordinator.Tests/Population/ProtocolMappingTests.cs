using HyperSwarm.Protocol.Hyperparameters;
using Google.Protobuf;
using HyperSwarm.Coordinator.Population;
using V1 = HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class ProtocolMappingTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static V1.HyperparameterState WireState()
    {
        var state = new V1.HyperparameterState { Step = 120 };
        state.Hyperparameters.Add(new V1.Hyperparameter
        {
            Name = "dropout", Kind = V1.HyperparameterKind.Bounded, Lower = 0, Upper = 0.8,
            Constrained = 0.4, Unconstrained = 0, Sigma = 0.5, SigmaRaw = -0.43,
        });
        state.Hyperparameters.Add(new V1.Hyperparameter { Name = "cutout", Kind = V1.HyperparameterKind.Discrete, Lower = 0, Upper = 16, Constrained = 8 });
        var gates = new V1.GateCoefficients { Layer = "block1.conv", Rows = 2, Columns = 2 };
        gates.Values.AddRange([0.5f, -1f, 2f, 0.25f]);
        state.Gates.Add(gates);
        return state;
    }

    [Fact]
    public void Hyperparameters_and_gates_survive_the_wire_both_ways()
    {
        var wire = WireState();

        var set = wire.ToHyperparameterSet();

        Assert.Equal(HyperparameterKind.Discrete, set.Find("cutout")!.Kind);
        Assert.Equal([0.5f, -1f, 2f, 0.25f], set.Gates.Single().Values.ToArray());
        Assert.Equal(wire, set.ToProto());
    }

    [Fact]
    public void A_hyperparameter_without_a_kind_is_refused()
    {
        var wire = new V1.HyperparameterState();
        wire.Hyperparameters.Add(new V1.Hyperparameter { Name = "dropout" });

        var error = Assert.Throws<ArgumentException>(() => wire.ToHyperparameterSet());

        Assert.Equal("hyperparameter dropout has no kind.", error.Message);
    }

    [Fact]
    public void A_checkpoint_reference_keeps_its_checksum()
    {
        var wire = new V1.CheckpointRef
        {
            MemberId = "m01", Step = 900, WorkerAddress = "10.0.0.2:7071", Path = "runs/m01/step-000000900.safetensors",
            SizeBytes = 1234, Sha256 = ByteString.CopyFrom([0xab, 0x01, 0xff]),
        };

        var reference = wire.ToCheckpointReference();

        Assert.Equal("ab01ff", reference.Sha256Hex);
        Assert.Equal(wire, reference.ToProto());
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(3, 3L)]
    public void A_checkpoint_notice_carries_its_epoch_when_it_has_one(long wireEpoch, long? expected)
    {
        var notice = new V1.CheckpointNotice
        {
            Checkpoint = new V1.CheckpointRef { MemberId = "m01", Step = 900, Path = "p", Sha256 = ByteString.CopyFrom([0xab]) },
            Epoch = wireEpoch,
        };

        var written = notice.ToInput("w1", T0);

        Assert.Equal(expected, written.Epoch);
        Assert.Equal("w1", written.WorkerId);
        Assert.Equal(900, written.Checkpoint.Step);
    }

    [Fact]
    public void A_join_offers_one_slot_per_device_unless_it_names_a_capacity()
    {
        var join = new V1.JoinRequest { WorkerId = "w1", Address = "w1:7071" };
        join.Devices.Add(new V1.Device { Name = "cuda:0" });
        join.Devices.Add(new V1.Device { Name = "cuda:1" });

        var perDevice = join.ToInput(T0);
        join.Capacity = 3;
        var configured = join.ToInput(T0);

        Assert.Equal(["cuda:0", "cuda:1"], perDevice.Devices.ToArray());
        Assert.Equal(["cuda:0", "cuda:1", "cuda:0"], configured.Devices.ToArray());
    }

    [Fact]
    public void A_report_becomes_an_event_that_keeps_the_epoch_and_drops_empty_hyperparameters()
    {
        var report = new V1.MemberReport { MemberId = "m02", Step = 300, TrainLoss = 0.6, ValidationLoss = 0.5, ValidationAccuracy = 0.8, Epoch = 4 };

        var bare = report.ToInput("w2", T0);
        report.Hyperparameters = WireState();
        var tuned = report.ToInput("w2", T0);

        Assert.Equal(new MemberReported(T0, "w2", "m02", 4, 300, 0.6, 0.5, 0.8, null), bare);
        Assert.Equal(0.4, tuned.Hyperparameters!.Find("dropout")!.Value);
    }

    [Fact]
    public void Commands_become_the_matching_wire_messages()
    {
        var set = WireState().ToHyperparameterSet();
        var checkpoint = new CheckpointReference("m00", 200, "w1:7071", "p", 5, "00");

        var start = new StartMember("m01", "w2", 1, "cuda:1", 3, set, checkpoint).ToProto(7);
        var exploit = new ExploitCheckpoint("m03", "w2", "m00", checkpoint, set).ToProto(8);
        var stop = new StopMember("m01", "w2", "finished").ToProto(9);

        Assert.Equal((7L, "cuda:1", 3L, 200L), (start.Sequence, start.Start.Device, start.Start.Epoch, start.Start.ResumeFrom.Step));
        Assert.Equal(1.0, exploit.Exploit.ExploreScale); // already explored: the worker must not scale again
        Assert.Equal("m00", exploit.Exploit.Source.MemberId);
        Assert.Equal(V1.CoordinatorCommand.BodyOneofCase.Stop, stop.BodyCase);
        Assert.Equal((0L, 0L), (start.Start.RunBudgetMs, start.Start.RunDeadlineUnixMs));
        var timed = new StartMember("m01", "w2", 1, "cuda:1", 3, set, null) { Window = new RunWindow(TimeSpan.FromMinutes(15), T0.AddMinutes(15)) }.ToProto(10);
        Assert.Equal((900_000L, T0.AddMinutes(15).ToUnixTimeMilliseconds()), (timed.Start.RunBudgetMs, timed.Start.RunDeadlineUnixMs));
    }

    [Fact]
    public void The_population_view_shows_each_member_with_its_worker_and_parent()
    {
        var machine = new PopulationMachine(new PopulationOptions { Size = 2 }, new SplitMix64(1));
        machine.Apply(new RunStarted(T0));
        var joined = machine.Apply(new WorkerJoined(T0, "w1", "w1:1", ["cuda:0"]));

        var view = machine.State.ToProto("run-1");
        var started = joined.Log.Single(e => e.Kind == EventKinds.MemberStarted).ToProto(machine.State);

        Assert.Equal([V1.MemberState.Running, V1.MemberState.Pending], view.Members.Select(m => m.State));
        Assert.Equal("w1", view.Members[0].WorkerId);
        Assert.Equal(machine.State.Sequence, view.Sequence);
        Assert.Equal(("m00", "w1", "member_started"), (started.MemberId, started.WorkerId, started.Kind));
        Assert.Equal(T0.ToUnixTimeMilliseconds(), started.UnixMs);
    }
}
