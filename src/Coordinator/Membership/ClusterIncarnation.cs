namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// One incarnation of a node in the Akka cluster: its address (<c>akka.tcp://hyperswarm@host:port</c>)
/// and the uid its actor system drew at start. A worker restarted on the same address is a new
/// incarnation, so the end of the old one never ends the new one's lease.
/// </summary>
/// <param name="Address">The node's Akka address, as <c>Address.ToString()</c> writes it.</param>
/// <param name="Uid">The actor system's uid.</param>
public readonly record struct ClusterIncarnation(string Address, long Uid)
{
    /// <inheritdoc />
    public override string ToString() => $"{Address}#{Uid}";
}
