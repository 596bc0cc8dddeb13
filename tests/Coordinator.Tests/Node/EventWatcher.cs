using HyperSwarm.Coordinator.Node;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Services;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>A WatchEvents caller that records every event it is sent.</summary>
internal sealed class EventWatcher : IDisposable
{
    private readonly ServerStreamingCall<PopulationEvent> _call;

    public EventWatcher(GrpcChannel channel, long afterSequence = 0)
    {
        _call = channel.ServerStreaming(CoordinatorMethods.WatchEvents, new WatchEventsRequest { AfterSequence = afterSequence });
        Ended = ReadAsync();
    }

    public Signals<PopulationEvent> Events { get; } = new(e => $"{e.Sequence} {e.Kind} {e.MemberId} {e.WorkerId}");

    public Task<GrpcStatus> Ended { get; }

    public Task<PopulationEvent> WaitForAsync(Func<PopulationEvent, bool> match, string what) => Events.WaitForAsync(match, what);

    public void Dispose() => _call.Dispose();

    private async Task<GrpcStatus> ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNextAsync()) Events.Add(_call.ResponseStream.Current);
            return GrpcStatus.Ok;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
