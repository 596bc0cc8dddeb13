using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Checkpoints;

namespace HyperSwarm.Coordinator.Tests.Store.Support;

/// <summary>Builds registry entries and exploits on a clock counted in seconds from <see cref="Start"/>.</summary>
public static class History
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CheckpointRecord Checkpoint(string member, long step, int second, bool collected = false) =>
        new(member, step, $"/ckpt/{member}/step-{step:D9}.safetensors", 1_000 + step, new string('a', 64), "10.0.0.1:7001",
            Start.AddSeconds(second), collected ? Start.AddSeconds(second + 1) : null);

    public static LineageEdge Exploit(string child, string parentMember, long parentStep, int second) =>
        new(child, new CheckpointKey(parentMember, parentStep), Start.AddSeconds(second));

    public static CheckpointKey Key(string member, long step) => new(member, step);
}
