using System.Text.Json;
using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// The gRPC face of the coordinator (coordinator.proto), on its generated Grpc.AspNetCore base:
/// Join goes to the population actor (which answers with the lease and the cluster's seed);
/// GetPopulation and WatchEvents read what it has published and persisted. WatchEvents ends with
/// UNAVAILABLE when the host stops.
/// </summary>
internal sealed class CoordinatorService(PopulationHosting hosting, CancellationToken stopping)
    : Protocol.V1.Coordinator.CoordinatorBase
{
    // The population this node hosts; while the singleton has not started one here, calls are UNAVAILABLE.
    private PopulationActor Population() =>
        hosting.Current?.Actor ?? throw new RpcException(new Status(StatusCode.Unavailable, "This coordinator node hosts no population yet; try again shortly."));

    public override async Task<JoinResponse> Join(JoinRequest request, ServerCallContext context)
    {
        WireInput.CheckJoin(request);
        var actor = Population();
        var reply = new TaskCompletionSource<JoinResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!actor.Post(new JoinRequested(request, reply)))
            throw StoppingStatus("join it again when it is back");
        return await reply.Task.WaitAsync(context.CancellationToken);
    }

    public override Task<Protocol.V1.Population> GetPopulation(GetPopulationRequest request, ServerCallContext context)
    {
        var actor = Population();
        CheckRun(actor, request.RunId);
        var view = actor.View;
        var population = view.State.ToProto(actor.RunId);
        population.Sequence = view.Sequence;
        return Task.FromResult(population);
    }

    // Replays the stored log after the caller's sequence, then follows the live feed. The feed is
    // subscribed first, so nothing written in between is missed; what both deliver is sent once.
    public override async Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<PopulationEvent> responseStream, ServerCallContext context)
    {
        var actor = Population();
        CheckRun(actor, request.RunId);
        if (request.AfterSequence < 0) throw new RpcException(new Status(StatusCode.InvalidArgument, $"after_sequence must not be negative, got {request.AfterSequence}."));
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        var token = call.Token;
        var watcher = actor.Feed.Subscribe();
        var last = request.AfterSequence;
        try
        {
            // Rows past the view's sequence are persisted but not yet published: the member the
            // view shows would be older than the row. The live feed brings them with their own state.
            var view = actor.View;
            await foreach (var row in actor.Store.ReadEventsAsync(last, token))
            {
                if (row.Sequence > view.Sequence) break;
                last = row.Sequence;
                if (row.Kind != PopulationJournal.InputKind) await responseStream.WriteAsync(Replayed(row, view.State), token);
            }
            var live = watcher.Channel.Reader;
            while (await live.WaitToReadAsync(token))
            {
                while (live.TryRead(out var e))
                {
                    if (e.Sequence <= last) continue;
                    await responseStream.WriteAsync(e, token);
                    last = e.Sequence;
                }
            }
            throw watcher.Overflowed
                ? new RpcException(new Status(StatusCode.ResourceExhausted, $"This watcher fell {actor.Feed.Backlog} events behind; resume with after_sequence={last}."))
                : StoppingStatus($"resume with after_sequence={last} when it is back");
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw StoppingStatus($"resume with after_sequence={last} when it is back");
        }
        finally
        {
            actor.Feed.Unsubscribe(watcher);
        }
    }

    private static RpcException StoppingStatus(string then) => new(new Status(StatusCode.Unavailable, $"The coordinator is stopping; {then}."));

    private static void CheckRun(PopulationActor actor, string runId)
    {
        if (runId.Length > 0 && runId != actor.RunId)
            throw new RpcException(new Status(StatusCode.NotFound, $"This coordinator serves run '{actor.RunId}', not '{runId}'."));
    }

    // A stored row as a watcher sees it. The member is shown as it is now: the log keeps the
    // decisions, not every state the member passed through.
    private static PopulationEvent Replayed(StoredEvent row, PopulationState state)
    {
        using var payload = JsonDocument.Parse(row.PayloadJson);
        var at = payload.RootElement.TryGetProperty("at", out var ms) ? ms.GetInt64() : row.RecordedAt.ToUnixTimeMilliseconds();
        return new PopulationEvent
        {
            Sequence = row.Sequence,
            UnixMs = at,
            Kind = row.Kind,
            MemberId = row.MemberId ?? "",
            WorkerId = row.WorkerId ?? "",
            Reason = row.Reason ?? "",
            Member = row.MemberId is { } id && state.Members.TryGetValue(id, out var member) ? member.ToProto() : null,
        };
    }
}
