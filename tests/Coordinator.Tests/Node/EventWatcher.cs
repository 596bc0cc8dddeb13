using HyperSwarm.Coordinator.Node;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>A WatchEvents caller that records every event it is sent.</summary>
internal sealed class EventWatcher : IDisposable
{
    private readonly AsyncServerStreamingCall<PopulationEvent> _call;

    public EventWatcher(GrpcChannel channel, long afterSequence = 0)
    {
        _call = new Protocol.V1.Coordinator.CoordinatorClient(channel).WatchEvents(new WatchEventsRequest { AfterSequence = afterSequence });
        Ended = ReadAsync();
    }

    public Signals<PopulationEvent> Events { get; } = new(e => $"{e.Sequence} {e.Kind} {e.MemberId} {e.WorkerId}");

    public Task<Status> Ended { get; }

    public Task<PopulationEvent> WaitForAsync(Func<PopulationEvent, bool> match, string what) => Events.WaitForAsync(match, what);

    public void Dispose() => _call.Dispose();

    private async Task<Status> ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext()) Events.Add(_call.ResponseStream.Current);
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
