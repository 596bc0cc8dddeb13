using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
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
    public void Control_plane_message_field_numbers_are_stable()
    {
        Assert.Equal(["report=1", "heartbeat=2", "checkpoint=3", "lease_epoch=4", "departure=5", "ended=6", "command_failed=7"], Numbers(WorkerMessage.Descriptor));
        Assert.Equal(["member_id=1", "epoch=2", "decision=3", "command=4", "reason=5"], Numbers(CommandFailed.Descriptor));
        Assert.Equal(["member_id=1", "source_member_id=2", "hyperparameters=3", "decision=4"], Numbers(ExchangeHyperparameters.Descriptor));
        Assert.Equal(["member_id=1", "source=2", "hyperparameters=3", "explore_scale=4", "decision=5"], Numbers(ExploitCheckpoint.Descriptor));
        Assert.Equal(["lease_epoch=1", "reason=2"], Numbers(LeaseEnded.Descriptor));
        Assert.Equal(["member_id=1", "epoch=2", "outcome=3", "step=4", "reason=5"], Numbers(MemberEnded.Descriptor));
        Assert.Equal(["member_id=1", "device=2", "hyperparameters=3", "resume_from=4", "epoch=5", "run_budget_ms=6", "run_deadline_unix_ms=7"], Numbers(StartMember.Descriptor));
        Assert.Equal(["worker_id=1", "devices=2", "capacity=3", "version=4", "address=5", "cluster_address=6", "cluster_uid=7", "postbox=8"], Numbers(JoinRequest.Descriptor));
        Assert.Equal(["lease=1", "run=2", "cluster_seed=3"], Numbers(JoinResponse.Descriptor));
        Assert.Equal(["checkpoint=1", "epoch=2"], Numbers(CheckpointNotice.Descriptor));
        Assert.Equal(
            ["member_id=1", "step=2", "train_loss=3", "validation_loss=4", "validation_accuracy=5", "hyperparameters=6", "examples_per_second=7", "epoch=8"],
            Numbers(MemberReport.Descriptor));
        Assert.Equal(["epoch=1", "sent_unix_ms=2", "member_ids=3"], Numbers(Heartbeat.Descriptor));
        Assert.Equal(
            ["sequence=1", "start=2", "stop=3", "exchange=4", "exploit=5", "checkpoint_now=6", "drain=7", "lease_epoch=8", "worker_id=9"],
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

    [Fact]
    public void Generated_descriptors_are_the_proto_services()
    {
        Assert.Same(CoordinatorReflection.Descriptor.Services[0], Coordinator.Descriptor);
        Assert.Same(WorkerReflection.Descriptor.Services[0], Worker.Descriptor);
        Assert.Equal("hyperswarm.v1.Coordinator", Coordinator.Descriptor.FullName);
        Assert.Equal("hyperswarm.v1.Worker", Worker.Descriptor.FullName);
        Assert.Equal(["Join", "GetPopulation", "WatchEvents"], Coordinator.Descriptor.Methods.Select(m => m.Name));
        Assert.Equal(["FetchCheckpoint", "Status"], Worker.Descriptor.Methods.Select(m => m.Name));
    }

    [Theory]
    [InlineData(typeof(Coordinator.CoordinatorBase), new[] { "Join", "GetPopulation", "WatchEvents" })]
    [InlineData(typeof(Worker.WorkerBase), new[] { "FetchCheckpoint", "Status" })]
    public void Generated_service_bases_have_one_overridable_handler_per_rpc(Type serviceBase, string[] methods)
    {
        string[] handlers = [.. serviceBase.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.IsVirtual).Select(m => m.Name)];

        Assert.True(serviceBase.IsAbstract);
        Assert.Equal(methods.Order(), handlers.Order());
        Assert.All(serviceBase.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly),
            m => Assert.Equal(typeof(ServerCallContext), m.GetParameters()[^1].ParameterType));
    }

    [Fact]
    public void Generated_coordinator_client_calls_each_method_with_its_path_and_shape()
    {
        var invoker = new RecordingInvoker();
        var client = new Coordinator.CoordinatorClient(invoker);

        Assert.Throws<RecordedException>(() => client.Join(new JoinRequest()));
        Assert.Throws<RecordedException>(() => client.JoinAsync(new JoinRequest()));
        Assert.Throws<RecordedException>(() => client.GetPopulation(new GetPopulationRequest()));
        Assert.Throws<RecordedException>(() => client.GetPopulationAsync(new GetPopulationRequest()));
        Assert.Throws<RecordedException>(() => client.WatchEvents(new WatchEventsRequest()));

        Assert.Equal(
            [
                ("/hyperswarm.v1.Coordinator/Join", MethodType.Unary),
                ("/hyperswarm.v1.Coordinator/Join", MethodType.Unary),
                ("/hyperswarm.v1.Coordinator/GetPopulation", MethodType.Unary),
                ("/hyperswarm.v1.Coordinator/GetPopulation", MethodType.Unary),
                ("/hyperswarm.v1.Coordinator/WatchEvents", MethodType.ServerStreaming),
            ],
            invoker.Calls);
    }

    [Fact]
    public void Generated_worker_client_calls_each_method_with_its_path_and_shape()
    {
        var invoker = new RecordingInvoker();
        var client = new Worker.WorkerClient(invoker);

        Assert.Throws<RecordedException>(() => client.FetchCheckpoint(new FetchCheckpointRequest()));
        Assert.Throws<RecordedException>(() => client.Status(new StatusRequest()));
        Assert.Throws<RecordedException>(() => client.StatusAsync(new StatusRequest()));

        Assert.Equal(
            [
                ("/hyperswarm.v1.Worker/FetchCheckpoint", MethodType.ServerStreaming),
                ("/hyperswarm.v1.Worker/Status", MethodType.Unary),
                ("/hyperswarm.v1.Worker/Status", MethodType.Unary),
            ],
            invoker.Calls);
    }

    private static string[] Numbers(MessageDescriptor message) =>
        [.. message.Fields.InFieldNumberOrder().Select(f => $"{f.Name}={f.FieldNumber}")];

    private sealed class RecordedException : Exception;

    /// <summary>Records which method a generated client asks for, then stops the call.</summary>
    private sealed class RecordingInvoker : CallInvoker
    {
        public List<(string Path, MethodType Type)> Calls { get; } = [];

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw Record(method);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw Record(method);

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw Record(method);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw Record(method);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw Record(method);

        private RecordedException Record<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            Calls.Add((method.FullName, method.Type));
            return new RecordedException();
        }
    }
}
