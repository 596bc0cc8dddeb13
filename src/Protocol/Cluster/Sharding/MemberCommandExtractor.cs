using Akka.Cluster.Sharding;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Cluster.Sharding;

/// <summary>
/// Where a member command goes in Cluster.Sharding: the entity is the member, its shard is the
/// lease the command was decided for (<c>lease_epoch</c>), so every member a worker runs under one
/// lease lives in one shard, on that lease's node. Commands that name no member (Drain) are not
/// sharded: they go straight to the worker's postbox.
/// </summary>
public sealed class MemberCommandExtractor : IMessageExtractor
{
    /// <summary>The member a command is for; null for one that names none.</summary>
    public string? EntityId(object message) => message is CoordinatorCommand command ? MemberOf(command) : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => message is CoordinatorCommand command ? ShardOf(command.LeaseEpoch) : null;

    public string ShardId(string entityId, object? messageHint = null) =>
        messageHint is CoordinatorCommand command ? ShardOf(command.LeaseEpoch)
            : throw new ArgumentException($"member '{entityId}' has no shard without its command: the shard is the command's lease.", nameof(messageHint));

    /// <summary>The shard of a lease (its epoch, in invariant digits).</summary>
    public static string ShardOf(long leaseEpoch) => leaseEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The lease epoch a shard id names; false for a shard id that is not one.</summary>
    public static bool TryParseShard(string shardId, out long leaseEpoch) =>
        long.TryParse(shardId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out leaseEpoch) && leaseEpoch > 0;

    /// <summary>The member a command names; null for Drain and an empty command.</summary>
    public static string? MemberOf(CoordinatorCommand command) => command.BodyCase switch
    {
        CoordinatorCommand.BodyOneofCase.Start => command.Start.MemberId,
        CoordinatorCommand.BodyOneofCase.Stop => command.Stop.MemberId,
        CoordinatorCommand.BodyOneofCase.Exchange => command.Exchange.MemberId,
        CoordinatorCommand.BodyOneofCase.Exploit => command.Exploit.MemberId,
        CoordinatorCommand.BodyOneofCase.CheckpointNow => command.CheckpointNow.MemberId,
        _ => null,
    } is { Length: > 0 } id ? id : null;
}
