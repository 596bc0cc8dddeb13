using Google.Protobuf;
using Google.Protobuf.Reflection;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Contracts;

/// <summary>
/// Pins the v1 contracts: service shapes and the field numbers peers depend on. Field numbers
/// are stable; a failure here means a wire-breaking change, not a test to update.
/// </summary>
public sealed class ContractTests
{
    [Theory]
    [InlineData("Join", false, false)]
    [InlineData("Session", true, true)]
    [InlineData("GetPopulation", false, false)]
    [InlineData("WatchEvents", false, true)]
    public void Coordinator_methods_have_their_shapes(string name, bool clientStreaming, bool serverStreaming)
    {
        MethodDescriptor method = CoordinatorReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Coordinator").FindMethodByName(name);

        Assert.Equal((clientStreaming, serverStreaming), (method.IsClientStreaming, method.IsServerStreaming));
    }

    [Fact]
    public void Worker_streams_checkpoints_and_answers_status()
    {
        ServiceDescriptor worker = WorkerReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Worker");

        Assert.True(worker.FindMethodByName("FetchCheckpoint").IsServerStreaming);
        Assert.False(worker.FindMethodByName("Status").IsServerStreaming);
    }

    [Fact]
    public void Hyperparameter_field_numbers_are_stable()
    {
        Assert.Equal(
            ["name=1", "kind=2", "lower=3", "upper=4", "constrained=5", "unconstrained=6", "sigma=7", "sigma_raw=8"],
            Numbers(Hyperparameter.Descriptor));
        Assert.Equal(["hyperparameters=1", "gates=2", "step=3"], Numbers(HyperparameterState.Descriptor));
        Assert.Equal(["layer=1", "rows=2", "columns=3", "values=4"], Numbers(GateCoefficients.Descriptor));
    }

    [Fact]
    public void Session_message_field_numbers_are_stable()
    {
        Assert.Equal(["report=1", "heartbeat=2", "checkpoint=3"], Numbers(WorkerMessage.Descriptor));
        Assert.Equal(["checkpoint=1", "epoch=2"], Numbers(CheckpointNotice.Descriptor));
        Assert.Equal(
            ["member_id=1", "step=2", "train_loss=3", "validation_loss=4", "validation_accuracy=5", "hyperparameters=6", "examples_per_second=7", "epoch=8"],
            Numbers(MemberReport.Descriptor));
        Assert.Equal(["epoch=1", "sent_unix_ms=2", "member_ids=3"], Numbers(Heartbeat.Descriptor));
        Assert.Equal(
            ["sequence=1", "start=2", "stop=3", "exchange=4", "exploit=5", "checkpoint_now=6", "drain=7"],
            Numbers(CoordinatorCommand.Descriptor));
    }

    [Fact]
    public void Hyperparameter_state_travels_without_weights()
    {
        var state = new HyperparameterState
        {
            Step = 1200,
            Hyperparameters =
            {
                new Hyperparameter
                {
                    Name = "dropout", Kind = HyperparameterKind.Bounded, Lower = 0, Upper = 0.95,
                    Constrained = 0.05, Unconstrained = -2.89, Sigma = 0.5, SigmaRaw = -0.43,
                },
            },
            Gates = { new GateCoefficients { Layer = "block1.conv", Rows = 4, Columns = 1, Values = { 0.1f, 0.2f, 0.3f, 0.4f } } },
        };
        var command = new CoordinatorCommand { Sequence = 7, Exchange = new ExchangeHyperparameters { MemberId = "m3", SourceMemberId = "m1", Hyperparameters = state } };

        var parsed = CoordinatorCommand.Parser.ParseFrom(command.ToByteArray());

        Assert.Equal(state, parsed.Exchange.Hyperparameters);
        Assert.True(command.CalculateSize() < 200);
    }

    private static string[] Numbers(MessageDescriptor message) =>
        [.. message.Fields.InFieldNumberOrder().Select(f => $"{f.Name}={f.FieldNumber}")];
}
